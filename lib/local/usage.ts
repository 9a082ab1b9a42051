/** The CLI's help text (`tlog-monitor --help`); docs/contracts.md, "Command line". */
export const USAGE = `tlog-monitor — prove that transparency logs stay append-only

Usage:
  tlog-monitor check --type T --url URL --public-key FILE [--origin O] --state FILE [--timeout S] [--deadline S] [--json]
  tlog-monitor check [--config FILE] [--log NAME] [--state-dir DIR] [--trusted-root FILE] [--timeout S] [--deadline S] [--json]
  tlog-monitor watch [--config FILE] [--state-dir DIR] [--trusted-root FILE] [--timeout S] [--deadline S] [--json] [--iterations N] [--metrics-port P]
  (check and watch also take --scan-max-entries N and --scan-max-seconds S)
  tlog-monitor status [--config FILE] [--log NAME] [--state-dir DIR] [--json]
  tlog-monitor status --aws --table T [--config FILE] [--log NAME] [--json]
  tlog-monitor --version

Commands:
  check   check each log once: verify its signed head against the pinned key and prove it
          consistent with the last verified head; store the new head only if it is proven
  watch   check each configured log again and again, each on its own interval
  status  show each configured log's verified head, its age, the last status and open alerts,
          from the state files (or, with --aws, from the Lambda deployment's DynamoDB table)

Options:
  --config FILE      config file (default: tlog-monitor.config.json)
  --log NAME         only this configured log
  --trusted-root FILE  monitor every log a Sigstore trusted_root.json lists (with or without --config)
  --state-dir DIR    directory of state files, one per log (default: config "stateDir" or .tlog-monitor-state)
  --type T           rekor-v1 | ct | tiles | static-ct
  --url URL          the log's base URL (https, or http on loopback)
  --public-key FILE  the log's public key: PEM (P-256 or Ed25519) or a C2SP verifier key
  --origin O         expected checkpoint origin / signer name
  --name NAME        name for an ad-hoc log (default: derived from the URL)
  --state FILE       state file for an ad-hoc check
  --timeout S        per-request timeout in seconds (default 10)
  --deadline S       each check's deadline in seconds, all its requests, retries and backoff
                     included (default 60): a log that is too slow is "unreachable"
  --json             print one JSON object per line (a CheckResult, a log's status, or an error)
  --iterations N     watch: stop after N checks of each log (default: until SIGINT or SIGTERM)
  --metrics-port P   watch: serve Prometheus metrics on http://0.0.0.0:P/metrics
  --scan-max-entries N  identity scan: most entries one check scans per log (default 200000);
                     a backlog continues at the next check
  --scan-max-seconds S  identity scan: most seconds one check scans per log (default: half of --deadline)
  --aws              status: read the DynamoDB table of the Lambda deployment (AWS credentials
                     and region from the usual AWS settings)
  --table T          status --aws: the table name (the stack's StateTableName output)
  --version          print the version
  -h, --help         show this help

Exit codes: 0 every log verified, unchanged or initialized; 1 a log misbehaved (inconsistent,
fork, rollback, bad-signature); 2 a log could not be checked (unreachable, invalid-response,
monitor-error) or the command line or config is wrong. Misbehaviour outranks "could not check".
`;
