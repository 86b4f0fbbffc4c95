// The Azure side of serverless-admission: a Linux Function App on Node 22 in a Flex
// Consumption plan, its storage (host state, deployment package, SMS queue),
// Application Insights, and a Key Vault for the function key and the Twilio secret.
//
// Flex Consumption, not the classic Consumption plan: the webhook sits on every
// kubectl apply, and Flex keeps `alwaysReadyInstances` HTTP instances warm, so a
// review never waits for a cold start (seconds), while the rest still scales to zero
// and per-execution billing stays.
//
//   az deployment group create -g <rg> -f deploy/azure/main.bicep \
//     -p appName=<name> deployerPrincipalId=$(az ad signed-in-user show --query id -o tsv)
//   az keyvault secret set --vault-name <keyVaultName output> --name twilio-auth-token --value ...
//   npm run package:function-app   # dist/function-app: 33 MB, production dependencies only
//   cd dist/function-app && func azure functionapp publish <functionAppName output> --no-build

@description('Names every resource: 3-40 letters, digits, hyphens or underscores, at least one of them a letter or digit. The function app is this name in lower case with `_` as `-` and no separator at either end, and must be free as <name>.azurewebsites.net.')
@minLength(3)
@maxLength(40)
param appName string

param location string = resourceGroup().location

@description('Object id of the user or pipeline identity running this deployment (az ad signed-in-user show --query id -o tsv; for a service principal, az ad sp show --id <client id> --query id -o tsv). It becomes Key Vault Secrets Officer on the vault, to set the Twilio token.')
param deployerPrincipalId string

@description('What deployerPrincipalId is: User for a person, ServicePrincipal for a pipeline identity.')
@allowed(['User', 'ServicePrincipal'])
param deployerPrincipalType string = 'User'

// At least 2, and no way to ask for fewer. The API server waits at most timeoutSeconds
// (10 s) for the webhook and the proxy gives up on the function after 8 s; with 0
// always-ready instances, 4 of 20 first calls after an idle period took over 5 s (cold
// starts), which under failurePolicy: Fail are refused kubectl applies. One warm instance
// leaves the same window whenever the platform replaces or restarts it; two keep one warm
// while the other is replaced. Always-ready instances are billed while idle: that is the
// price of a webhook on every apply. The ceiling is maximumInstanceCount below.
@description('Always-ready instances for the HTTP functions (admission). At least 2: a cold start makes reviews time out.')
@minValue(2)
@maxValue(40)
param alwaysReadyInstances int = 2

@description('Copy the function key into Key Vault as admission-function-key, for overlays/keyvault. Turn off if the deployment cannot read the key, and set the secret by hand.')
param storeFunctionKey bool = true

@description('Fewest replicas a Deployment may run (MIN_REPLICAS).')
param minReplicas int = 3

@description('E.164 numbers texted by notify, comma-separated (OPS_PHONE_NUMBERS).')
param opsPhoneNumbers string = ''

@description('Twilio account SID (AC...). Leave empty to start with texts in the log.')
param twilioAccountSid string = ''

@description('Twilio sender number (E.164), used when no messaging service is given.')
param twilioFrom string = ''

// Names. Bicep has no regular expressions, so appName is normalised with plain string
// functions: lower case, `_` as `-`, and no separator at either end (separators become
// spaces for trim, then hyphens again). Globally unique names (storage, Key Vault) end
// with the whole 13-character uniqueString: the name part is cut to fit, never the
// suffix. Rules: https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules
// test/deploy/bicep-names.test.ts evaluates these lines for short and long appNames and
// checks each name against its resource type's rule; keep them to the functions it knows.
var baseName = replace(trim(replace(replace(toLower(appName), '_', ' '), '-', ' ')), ' ', '-')
var compactName = replace(baseName, '-', '')
var suffix = uniqueString(resourceGroup().id, appName)
var functionAppName = baseName // sites, 2-60: a DNS label, no hyphen at either end
var planName = 'plan-${baseName}' // serverfarms, 1-60: alphanumerics and hyphens
var logAnalyticsName = 'log-${baseName}' // workspaces, 4-63: starts and ends alphanumeric
var insightsName = 'appi-${baseName}' // components, 1-260
var storageName = 'st${take(compactName, 9)}${suffix}' // 2 + 9 + 13 = 24, lowercase letters and digits
var keyVaultName = 'kv-${take(compactName, 7)}-${suffix}' // 3 + 7 + 1 + 13 = 24, no double hyphen
var functionKeySecretName = 'admission-function-key' // the object overlays/keyvault mounts
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
  name: logAnalyticsName
  location: location
  properties: { retentionInDays: 30, sku: { name: 'PerGB2018' } }
}

resource insights 'Microsoft.Insights/components@2020-02-02' = {
  name: insightsName
  location: location
  kind: 'web'
  properties: { Application_Type: 'web', WorkspaceResourceId: logs.id }
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: keyVaultName
  location: location
  properties: {
    tenantId: subscription().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
  }
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  kind: 'functionapp'
  sku: { tier: 'FlexConsumption', name: 'FC1' }
  properties: { reserved: true }
}

resource app 'Microsoft.Web/sites@2024-04-01' = {
  name: functionAppName
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
        // 'http' is the group all HTTP-triggered functions scale in; admission is the only one.
        alwaysReady: [{ name: 'http', instanceCount: alwaysReadyInstances }]
        // 50 reviews at once per instance. A review takes well under 10 ms of CPU and Node
        // runs them on one thread, so the last of 50 arriving together waits about 0.5 s:
        // far inside the proxy's 8 s. The platform adds an instance (a cold start, seconds)
        // only when the warm ones are at this limit, so a high limit keeps bursts on warm
        // instances: two always-ready instances take 100 concurrent reviews before any cold
        // one is involved, where the default for 2,048 MB (16) sends the 17th review of a
        // burst to a new instance. Memory is not the bound: reviews are a few kilobytes, and
        // 50 at the 7 MiB body cap are 350 MiB of bodies.
        triggers: { http: { perInstanceConcurrency: 50 } }
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
    // The secret itself is set with az keyvault secret set (the deployer may, see
    // deployerSecretsOfficer); never in this file.
    TWILIO_AUTH_TOKEN: '@Microsoft.KeyVault(VaultName=${vault.name};SecretName=twilio-auth-token)'
  } : {})
  dependsOn: [blobOwner, queueContributor, secretsUser]
}

// The function key, for the proxy's Key Vault overlay (Secrets Store CSI driver). The
// host keys come from POST <site>/host/default/listkeys, whose answer is
// { masterKey, functionKeys: { default, ... }, systemKeys }:
// https://learn.microsoft.com/rest/api/appservice/web-apps/list-host-keys, called through
// Bicep's list* function (https://learn.microsoft.com/azure/azure-resource-manager/bicep/bicep-functions-resource#list).
// functionKeys.default is the key `az functionapp keys list` shows and the proxy sends.
// Read after the app settings, so that the host has its storage (where it keeps the keys).
// Each deployment copies the current key again; after rotating it by hand, redeploy or
// set the secret yourself. The ?: is there because ARM evaluates list* functions in a
// resource even when its condition is false; the operator keeps storeFunctionKey=false
// from calling the host at all.
resource functionKeySecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (storeFunctionKey) {
  parent: vault
  name: functionKeySecretName
  properties: {
    contentType: 'Azure Functions host key (functionKeys.default)'
    value: storeFunctionKey ? listKeys('${app.id}/host/default', app.apiVersion).functionKeys.default : ''
  }
  dependsOn: [settings]
}

var roles = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6'
  keyVaultSecretsOfficer: 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'
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

// notify's shared state: duplicates and text budgets in the table smsstate.
resource tableContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, app.id, roles.storageTableDataContributor)
  scope: storage
  properties: {
    principalId: app.identity.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageTableDataContributor)
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

// The vault uses Azure RBAC, so even its creator cannot write a secret without a data
// role: the deployer gets Secrets Officer to set the Twilio token (and the function key,
// when storeFunctionKey is off).
resource deployerSecretsOfficer 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, deployerPrincipalId, roles.keyVaultSecretsOfficer)
  scope: vault
  properties: {
    principalId: deployerPrincipalId
    principalType: deployerPrincipalType
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsOfficer)
  }
}

output functionAppName string = app.name
output admissionUrl string = 'https://${app.properties.defaultHostName}/api/admission'
output keyVaultName string = vault.name
