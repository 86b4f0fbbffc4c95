// The Azure side of serverless-admission: a Linux Function App on Node 22 in a Flex
// Consumption plan, its storage (host state, deployment package, SMS queue),
// Application Insights, and a Key Vault for the Twilio secrets.
//
// Flex Consumption, not the classic Consumption plan: the webhook sits on every
// kubectl apply, and Flex keeps `alwaysReadyInstances` HTTP instances warm, so a
// review never waits for a cold start (seconds), while the rest still scales to zero
// and per-execution billing stays.
//
//   az deployment group create -g <rg> -f deploy/azure/main.bicep -p appName=<name>
//   az keyvault secret set --vault-name <vault> --name twilio-auth-token --value ...
//   func azure functionapp publish <name>

@description('Function app name; also the prefix of the other resources.')
@minLength(3)
@maxLength(40)
param appName string

param location string = resourceGroup().location

@description('Instances kept warm for the admission function (0 allows cold starts).')
@minValue(0)
param alwaysReadyInstances int = 1

@description('Fewest replicas a Deployment may run (MIN_REPLICAS).')
param minReplicas int = 3

@description('E.164 numbers texted by notify, comma-separated (OPS_PHONE_NUMBERS).')
param opsPhoneNumbers string = ''

@description('Twilio account SID (AC...). Leave empty to start with texts in the log.')
param twilioAccountSid string = ''

@description('Twilio sender number (E.164), used when no messaging service is given.')
param twilioFrom string = ''

var suffix = uniqueString(resourceGroup().id, appName)
var storageName = take('st${replace(toLower(appName), '-', '')}${suffix}', 24)
var deploymentContainer = 'app-package'
var twilioConfigured = !empty(twilioAccountSid)

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: storageName
  location: location
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: {
    minimumTlsVersion: 'TLS1_2'
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false // identity-based access only
  }
}

resource blobs 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource packageContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobs
  name: deploymentContainer
}

resource logs 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: 'log-${appName}'
  location: location
  properties: { retentionInDays: 30, sku: { name: 'PerGB2018' } }
}

resource insights 'Microsoft.Insights/components@2020-02-02' = {
  name: 'appi-${appName}'
  location: location
  kind: 'web'
  properties: { Application_Type: 'web', WorkspaceResourceId: logs.id }
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: take('kv-${replace(appName, '_', '-')}-${suffix}', 24)
  location: location
  properties: {
    tenantId: subscription().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
  }
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: 'plan-${appName}'
  location: location
  kind: 'functionapp'
  sku: { tier: 'FlexConsumption', name: 'FC1' }
  properties: { reserved: true }
}

resource app 'Microsoft.Web/sites@2024-04-01' = {
  name: appName
  location: location
  kind: 'functionapp,linux'
  identity: { type: 'SystemAssigned' }
  dependsOn: [packageContainer]
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    siteConfig: { minTlsVersion: '1.2', ftpsState: 'Disabled' }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainer}'
          authentication: { type: 'SystemAssignedIdentity' }
        }
      }
      runtime: { name: 'node', version: '22' }
      scaleAndConcurrency: {
        instanceMemoryMB: 2048
        maximumInstanceCount: 40
        alwaysReady: alwaysReadyInstances > 0 ? [{ name: 'http', instanceCount: alwaysReadyInstances }] : []
      }
    }
  }
}

// Kept apart from the site so that Key Vault references are resolved with the app's
// identity, which exists only once the site does.
resource settings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: app
  name: 'appsettings'
  properties: union({
    AzureWebJobsStorage__accountName: storage.name // identity-based; also the SMS queue's connection
    APPLICATIONINSIGHTS_CONNECTION_STRING: insights.properties.ConnectionString
    MIN_REPLICAS: string(minReplicas)
    SMS_QUEUE_NAME: 'sms-notifications'
    OPS_PHONE_NUMBERS: opsPhoneNumbers
  }, twilioConfigured ? {
    TWILIO_ACCOUNT_SID: twilioAccountSid
    TWILIO_FROM: twilioFrom
    // The secret itself is set with az keyvault secret set; never in this file.
    TWILIO_AUTH_TOKEN: '@Microsoft.KeyVault(VaultName=${vault.name};SecretName=twilio-auth-token)'
  } : {})
  dependsOn: [blobOwner, queueContributor, secretsUser]
}

var roles = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6'
}

resource blobOwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, app.id, roles.storageBlobDataOwner)
  scope: storage
  properties: {
    principalId: app.identity.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataOwner)
  }
}

resource queueContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, app.id, roles.storageQueueDataContributor)
  scope: storage
  properties: {
    principalId: app.identity.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageQueueDataContributor)
  }
}

resource secretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, app.id, roles.keyVaultSecretsUser)
  scope: vault
  properties: {
    principalId: app.identity.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsUser)
  }
}

output functionAppName string = app.name
output admissionUrl string = 'https://${app.properties.defaultHostName}/api/admission'
output keyVaultName string = vault.name
