// admission-check --help: the subcommands, their flags, and the exit codes (the README's
// "Checking manifests before they reach the cluster" lists the same codes).
export const usage = `usage: admission-check [check] [--policy FILE] [--format text|json] [--namespace NS]
                       [--scope webhook|all-workloads] FILE|DIR|- ...
       admission-check test [--format text|json|junit] [--scope webhook|all-workloads] DIR|FILE ...
       admission-check audit [--policy FILE] [--kubeconfig FILE] [--context NAME] [--namespace NS]...
                       [--format text|json|sms] [--page-size N] [--scope webhook|all-workloads]
       admission-check export vap [--policy FILE] [--out DIR|-] [--rule NAME]...
       admission-check --help | --version

check (the default): decides manifests as the webhook would decide their CREATE
  (a folder named test, audit or export: write check test/).
  --policy FILE    the policy file (default: POLICY_FILE, else ./policy.yaml if present,
                   else the built-in policy with MIN_REPLICAS)
  --format F       text (default) or json
  --namespace NS   the namespace of namespaced objects that name none (default: default)
  --scope S        what the installed webhook is sent: webhook (components/webhook,
                   the default) or all-workloads (with components/all-workloads)
test: runs the test files (admission-test.yaml, *.admission-test.yaml) under each
  directory, every case in one process; --format junit writes JUnit XML for CI.
audit: decides what a live cluster already holds, read-only, with the webhook's policy and
  the rules of the installed webhook configuration (--scope overrides them);
  --namespace repeats (default: every namespace); --format sms is one SMS (160 chars).
  --page-size N    objects per list request (default 500)
  With APPROVALS_CONNECTION_STRING (the function app's AzureWebJobsStorage), it also
  lists the objects admitted by approval (approve by reply).
export vap: writes the policy as ValidatingAdmissionPolicies and their bindings
  (admissionregistration.k8s.io/v1, Kubernetes 1.30+), one of each per rule; rules it
  cannot express are named on stderr (NOT_EXPORTABLE).
  --out DIR        one YAML file per rule in DIR; - (the default) for standard output
  --rule NAME      export only this rule (repeat for more; default: every rule)

exit codes:
  0  nothing denied (test: every case as expected)
  1  something denied (test: a case not as expected)
  2  usage, policy or test-file error: nothing was decided
  3  some inputs could not be read (each named on stderr with its code), nothing denied
     (export vap: some rules could not be exported; the others were written)`;
