
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'kubectl-ds' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'kubectl-ds'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'kubectl-ds' {
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'Read cluster state from dumps instead of the API: a file, a directory, or - for stdin (kubectl get -o yaml|json, cluster-info dump, must-gather). Repeatable')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace of the DaemonSet. Offline, defaults to the one namespace that holds it')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace of the DaemonSet. Offline, defaults to the one namespace that holds it')
            [CompletionResult]::new('--kubernetes-version', '--kubernetes-version', [CompletionResultType]::ParameterName, 'Evaluate with this Kubernetes version''s rules (default: the server''s, offline the newest kubelet''s)')
            [CompletionResult]::new('--as-of', '--as-of', [CompletionResultType]::ParameterName, 'Evaluate as of this moment (RFC 3339). Offline default: the newest timestamp in the data')
            [CompletionResult]::new('--stuck-after', '--stuck-after', [CompletionResultType]::ParameterName, 'A pod not ready or still being created for longer than this is Stuck')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (replaces KUBECONFIG)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'The kubeconfig cluster to use')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The kubeconfig user to use')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for each request: seconds or a duration (1s, 2m, 3h); 0, the default, sets no limit but gives up on a server silent for 60s')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Username to impersonate')
            [CompletionResult]::new('--as-group', '--as-group', [CompletionResultType]::ParameterName, 'Group to impersonate (repeatable)')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'The address of the Kubernetes API server')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'The address of the Kubernetes API server')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'Bearer token for authentication to the API server')
            [CompletionResult]::new('--certificate-authority', '--certificate-authority', [CompletionResultType]::ParameterName, 'Path to a CA certificate file for the server')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: auto (a terminal without NO_COLOR), always, never')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'Every namespace')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'Every namespace')
            [CompletionResult]::new('--insecure-skip-tls-verify', '--insecure-skip-tls-verify', [CompletionResultType]::ParameterName, 'Do not check the server''s certificate (insecure)')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Print the table without its header')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('explain', 'explain', [CompletionResultType]::ParameterValue, 'Every node, its verdict and the reason, for a DaemonSet or a manifest not yet applied')
            [CompletionResult]::new('completion', 'completion', [CompletionResultType]::ParameterValue, 'Shell completion: scripts for the kubectl-ds binary, or `install` for `kubectl ds <TAB>`')
            [CompletionResult]::new('lint', 'lint', [CompletionResultType]::ParameterValue, 'DaemonSet-specific checks of manifests or the cluster''s DaemonSets, aware of node agents')
            [CompletionResult]::new('node', 'node', [CompletionResultType]::ParameterValue, 'Every DaemonSet as one node sees it: does it belong there, is its pod there and healthy')
            [CompletionResult]::new('rollout-status', 'rollout-status', [CompletionResultType]::ParameterValue, 'kubectl''s rollout verdict, which nodes hold the rollout up and why, and the next step')
            [CompletionResult]::new('version', 'version', [CompletionResultType]::ParameterValue, 'The tool''s version and, when a cluster is reachable, the server''s')
            [CompletionResult]::new('why-not-scheduled', 'why-not-scheduled', [CompletionResultType]::ParameterValue, 'For each node without a healthy pod: every rule, its evidence, and the fix')
            [CompletionResult]::new('__complete', '__complete', [CompletionResultType]::ParameterValue, 'kubectl''s plugin completion protocol (what kubectl_complete-ds runs)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'kubectl-ds;explain' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Evaluate a DaemonSet manifest that is not applied (what-if); - reads stdin')
            [CompletionResult]::new('--filename', '--filename', [CompletionResultType]::ParameterName, 'Evaluate a DaemonSet manifest that is not applied (what-if); - reads stdin')
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'Read cluster state from dumps instead of the API: a file, a directory, or - for stdin (kubectl get -o yaml|json, cluster-info dump, must-gather). Repeatable')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace of the DaemonSet. Offline, defaults to the one namespace that holds it')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace of the DaemonSet. Offline, defaults to the one namespace that holds it')
            [CompletionResult]::new('--kubernetes-version', '--kubernetes-version', [CompletionResultType]::ParameterName, 'Evaluate with this Kubernetes version''s rules (default: the server''s, offline the newest kubelet''s)')
            [CompletionResult]::new('--as-of', '--as-of', [CompletionResultType]::ParameterName, 'Evaluate as of this moment (RFC 3339). Offline default: the newest timestamp in the data')
            [CompletionResult]::new('--stuck-after', '--stuck-after', [CompletionResultType]::ParameterName, 'A pod not ready or still being created for longer than this is Stuck')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (replaces KUBECONFIG)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'The kubeconfig cluster to use')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The kubeconfig user to use')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for each request: seconds or a duration (1s, 2m, 3h); 0, the default, sets no limit but gives up on a server silent for 60s')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Username to impersonate')
            [CompletionResult]::new('--as-group', '--as-group', [CompletionResultType]::ParameterName, 'Group to impersonate (repeatable)')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'The address of the Kubernetes API server')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'The address of the Kubernetes API server')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'Bearer token for authentication to the API server')
            [CompletionResult]::new('--certificate-authority', '--certificate-authority', [CompletionResultType]::ParameterName, 'Path to a CA certificate file for the server')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--node', '--node', [CompletionResultType]::ParameterName, 'Only these nodes (repeatable, or comma-separated)')
            [CompletionResult]::new('--status', '--status', [CompletionResultType]::ParameterName, 'Only nodes with these statuses (repeatable, or comma-separated)')
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'Only nodes whose labels match this selector (e.g. node-role.kubernetes.io/worker,zone in (a,b))')
            [CompletionResult]::new('--selector', '--selector', [CompletionResultType]::ParameterName, 'Only nodes whose labels match this selector (e.g. node-role.kubernetes.io/worker,zone in (a,b))')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour: auto (a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--insecure-skip-tls-verify', '--insecure-skip-tls-verify', [CompletionResultType]::ParameterName, 'Do not check the server''s certificate (insecure)')
            [CompletionResult]::new('--exit-code', '--exit-code', [CompletionResultType]::ParameterName, 'Exit 1 when an eligible node lacks a healthy pod (what-if: would be Pending, or would lose its pod)')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Omit the table header')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'kubectl-ds;completion' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('bash', 'bash', [CompletionResultType]::ParameterValue, 'Print the completion script for the kubectl-ds binary')
            [CompletionResult]::new('zsh', 'zsh', [CompletionResultType]::ParameterValue, 'Print the completion script for the kubectl-ds binary')
            [CompletionResult]::new('fish', 'fish', [CompletionResultType]::ParameterValue, 'Print the completion script for the kubectl-ds binary')
            [CompletionResult]::new('powershell', 'powershell', [CompletionResultType]::ParameterValue, 'Print the completion script for the kubectl-ds binary')
            [CompletionResult]::new('install', 'install', [CompletionResultType]::ParameterValue, 'Install kubectl_complete-ds next to kubectl-ds, so that kubectl completes `kubectl ds`')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'kubectl-ds;completion;bash' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'kubectl-ds;completion;zsh' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'kubectl-ds;completion;fish' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'kubectl-ds;completion;powershell' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'kubectl-ds;completion;install' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Where to put it (default: the directory holding this kubectl-ds, as krew installs it)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'kubectl-ds;completion;help' {
            [CompletionResult]::new('bash', 'bash', [CompletionResultType]::ParameterValue, 'Print the completion script for the kubectl-ds binary')
            [CompletionResult]::new('zsh', 'zsh', [CompletionResultType]::ParameterValue, 'Print the completion script for the kubectl-ds binary')
            [CompletionResult]::new('fish', 'fish', [CompletionResultType]::ParameterValue, 'Print the completion script for the kubectl-ds binary')
            [CompletionResult]::new('powershell', 'powershell', [CompletionResultType]::ParameterValue, 'Print the completion script for the kubectl-ds binary')
            [CompletionResult]::new('install', 'install', [CompletionResultType]::ParameterValue, 'Install kubectl_complete-ds next to kubectl-ds, so that kubectl completes `kubectl ds`')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'kubectl-ds;completion;help;bash' {
            break
        }
        'kubectl-ds;completion;help;zsh' {
            break
        }
        'kubectl-ds;completion;help;fish' {
            break
        }
        'kubectl-ds;completion;help;powershell' {
            break
        }
        'kubectl-ds;completion;help;install' {
            break
        }
        'kubectl-ds;completion;help;help' {
            break
        }
        'kubectl-ds;lint' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Manifests to lint: files, directories, or - for stdin (repeatable)')
            [CompletionResult]::new('--filename', '--filename', [CompletionResultType]::ParameterName, 'Manifests to lint: files, directories, or - for stdin (repeatable)')
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'Read cluster state from dumps instead of the API: a file, a directory, or - for stdin (kubectl get -o yaml|json, cluster-info dump, must-gather). Repeatable')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace of the DaemonSet. Offline, defaults to the one namespace that holds it')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace of the DaemonSet. Offline, defaults to the one namespace that holds it')
            [CompletionResult]::new('--kubernetes-version', '--kubernetes-version', [CompletionResultType]::ParameterName, 'Evaluate with this Kubernetes version''s rules (default: the server''s, offline the newest kubelet''s)')
            [CompletionResult]::new('--as-of', '--as-of', [CompletionResultType]::ParameterName, 'Evaluate as of this moment (RFC 3339). Offline default: the newest timestamp in the data')
            [CompletionResult]::new('--stuck-after', '--stuck-after', [CompletionResultType]::ParameterName, 'A pod not ready or still being created for longer than this is Stuck')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (replaces KUBECONFIG)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'The kubeconfig cluster to use')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The kubeconfig user to use')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for each request: seconds or a duration (1s, 2m, 3h); 0, the default, sets no limit but gives up on a server silent for 60s')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Username to impersonate')
            [CompletionResult]::new('--as-group', '--as-group', [CompletionResultType]::ParameterName, 'Group to impersonate (repeatable)')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'The address of the Kubernetes API server')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'The address of the Kubernetes API server')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'Bearer token for authentication to the API server')
            [CompletionResult]::new('--certificate-authority', '--certificate-authority', [CompletionResultType]::ParameterName, 'Path to a CA certificate file for the server')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'Exit 1 when a finding is at or above this severity')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file (default: .kubectl-ds.yaml in the current directory, if there is one)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: auto (a terminal without NO_COLOR), always, never')
            [CompletionResult]::new('-A', '-A ', [CompletionResultType]::ParameterName, 'Every DaemonSet in every namespace of the cluster or --from')
            [CompletionResult]::new('--all-namespaces', '--all-namespaces', [CompletionResultType]::ParameterName, 'Every DaemonSet in every namespace of the cluster or --from')
            [CompletionResult]::new('--live', '--live', [CompletionResultType]::ParameterName, 'With -f: also read the live cluster (nodes, taints, namespaces, ...) for the cluster rules')
            [CompletionResult]::new('--insecure-skip-tls-verify', '--insecure-skip-tls-verify', [CompletionResultType]::ParameterName, 'Do not check the server''s certificate (insecure)')
            [CompletionResult]::new('--show-suppressed', '--show-suppressed', [CompletionResultType]::ParameterName, 'Also show the findings that suppressions hide')
            [CompletionResult]::new('--list-rules', '--list-rules', [CompletionResultType]::ParameterName, 'Print the rule catalogue and exit')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'kubectl-ds;node' {
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'Read cluster state from dumps instead of the API: a file, a directory, or - for stdin (kubectl get -o yaml|json, cluster-info dump, must-gather). Repeatable')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace of the DaemonSet. Offline, defaults to the one namespace that holds it')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace of the DaemonSet. Offline, defaults to the one namespace that holds it')
            [CompletionResult]::new('--kubernetes-version', '--kubernetes-version', [CompletionResultType]::ParameterName, 'Evaluate with this Kubernetes version''s rules (default: the server''s, offline the newest kubelet''s)')
            [CompletionResult]::new('--as-of', '--as-of', [CompletionResultType]::ParameterName, 'Evaluate as of this moment (RFC 3339). Offline default: the newest timestamp in the data')
            [CompletionResult]::new('--stuck-after', '--stuck-after', [CompletionResultType]::ParameterName, 'A pod not ready or still being created for longer than this is Stuck')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (replaces KUBECONFIG)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'The kubeconfig cluster to use')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The kubeconfig user to use')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for each request: seconds or a duration (1s, 2m, 3h); 0, the default, sets no limit but gives up on a server silent for 60s')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Username to impersonate')
            [CompletionResult]::new('--as-group', '--as-group', [CompletionResultType]::ParameterName, 'Group to impersonate (repeatable)')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'The address of the Kubernetes API server')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'The address of the Kubernetes API server')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'Bearer token for authentication to the API server')
            [CompletionResult]::new('--certificate-authority', '--certificate-authority', [CompletionResultType]::ParameterName, 'Path to a CA certificate file for the server')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: auto (a terminal without NO_COLOR), always, never')
            [CompletionResult]::new('--insecure-skip-tls-verify', '--insecure-skip-tls-verify', [CompletionResultType]::ParameterName, 'Do not check the server''s certificate (insecure)')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Print the table without its header')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'kubectl-ds;rollout-status' {
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'Read cluster state from dumps instead of the API: a file, a directory, or - for stdin (kubectl get -o yaml|json, cluster-info dump, must-gather). Repeatable')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace of the DaemonSet. Offline, defaults to the one namespace that holds it')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace of the DaemonSet. Offline, defaults to the one namespace that holds it')
            [CompletionResult]::new('--kubernetes-version', '--kubernetes-version', [CompletionResultType]::ParameterName, 'Evaluate with this Kubernetes version''s rules (default: the server''s, offline the newest kubelet''s)')
            [CompletionResult]::new('--as-of', '--as-of', [CompletionResultType]::ParameterName, 'Evaluate as of this moment (RFC 3339). Offline default: the newest timestamp in the data')
            [CompletionResult]::new('--stuck-after', '--stuck-after', [CompletionResultType]::ParameterName, 'A pod not ready or still being created for longer than this is Stuck')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (replaces KUBECONFIG)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'The kubeconfig cluster to use')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The kubeconfig user to use')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for each request: seconds or a duration (1s, 2m, 3h); 0, the default, sets no limit but gives up on a server silent for 60s')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Username to impersonate')
            [CompletionResult]::new('--as-group', '--as-group', [CompletionResultType]::ParameterName, 'Group to impersonate (repeatable)')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'The address of the Kubernetes API server')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'The address of the Kubernetes API server')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'Bearer token for authentication to the API server')
            [CompletionResult]::new('--certificate-authority', '--certificate-authority', [CompletionResultType]::ParameterName, 'Path to a CA certificate file for the server')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('-w', '-w', [CompletionResultType]::ParameterName, 'Live: watch until the rollout is complete (--watch=false answers once). Offline input is always answered once')
            [CompletionResult]::new('--watch', '--watch', [CompletionResultType]::ParameterName, 'Live: watch until the rollout is complete (--watch=false answers once). Offline input is always answered once')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Stop watching after this long and exit 1 with the blocking nodes (0: no limit)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour: auto (a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--insecure-skip-tls-verify', '--insecure-skip-tls-verify', [CompletionResultType]::ParameterName, 'Do not check the server''s certificate (insecure)')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Omit the table header')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'kubectl-ds;version' {
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (replaces KUBECONFIG)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'The kubeconfig cluster to use')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The kubeconfig user to use')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for each request: seconds or a duration (1s, 2m, 3h); 0, the default, sets no limit but gives up on a server silent for 60s')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Username to impersonate')
            [CompletionResult]::new('--as-group', '--as-group', [CompletionResultType]::ParameterName, 'Group to impersonate (repeatable)')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'The address of the Kubernetes API server')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'The address of the Kubernetes API server')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'Bearer token for authentication to the API server')
            [CompletionResult]::new('--certificate-authority', '--certificate-authority', [CompletionResultType]::ParameterName, 'Path to a CA certificate file for the server')
            [CompletionResult]::new('--client', '--client', [CompletionResultType]::ParameterName, 'Only this tool''s version; do not contact the cluster')
            [CompletionResult]::new('--insecure-skip-tls-verify', '--insecure-skip-tls-verify', [CompletionResultType]::ParameterName, 'Do not check the server''s certificate (insecure)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'kubectl-ds;why-not-scheduled' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Trace a DaemonSet manifest that is not applied (what-if); - reads stdin')
            [CompletionResult]::new('--filename', '--filename', [CompletionResultType]::ParameterName, 'Trace a DaemonSet manifest that is not applied (what-if); - reads stdin')
            [CompletionResult]::new('--node', '--node', [CompletionResultType]::ParameterName, 'Trace these nodes, whatever their status (repeatable, or comma-separated). Default: every node that is Missing, Stuck or Misscheduled, and the excluded ones grouped by cause')
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'Read cluster state from dumps instead of the API: a file, a directory, or - for stdin (kubectl get -o yaml|json, cluster-info dump, must-gather). Repeatable')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'The namespace of the DaemonSet. Offline, defaults to the one namespace that holds it')
            [CompletionResult]::new('--namespace', '--namespace', [CompletionResultType]::ParameterName, 'The namespace of the DaemonSet. Offline, defaults to the one namespace that holds it')
            [CompletionResult]::new('--kubernetes-version', '--kubernetes-version', [CompletionResultType]::ParameterName, 'Evaluate with this Kubernetes version''s rules (default: the server''s, offline the newest kubelet''s)')
            [CompletionResult]::new('--as-of', '--as-of', [CompletionResultType]::ParameterName, 'Evaluate as of this moment (RFC 3339). Offline default: the newest timestamp in the data')
            [CompletionResult]::new('--stuck-after', '--stuck-after', [CompletionResultType]::ParameterName, 'A pod not ready or still being created for longer than this is Stuck')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Path to the kubeconfig file (replaces KUBECONFIG)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'The kubeconfig context to use')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'The kubeconfig cluster to use')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The kubeconfig user to use')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'How long to wait for each request: seconds or a duration (1s, 2m, 3h); 0, the default, sets no limit but gives up on a server silent for 60s')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'Username to impersonate')
            [CompletionResult]::new('--as-group', '--as-group', [CompletionResultType]::ParameterName, 'Group to impersonate (repeatable)')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'The address of the Kubernetes API server')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'The address of the Kubernetes API server')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'Bearer token for authentication to the API server')
            [CompletionResult]::new('--certificate-authority', '--certificate-authority', [CompletionResultType]::ParameterName, 'Path to a CA certificate file for the server')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour: auto (a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--insecure-skip-tls-verify', '--insecure-skip-tls-verify', [CompletionResultType]::ParameterName, 'Do not check the server''s certificate (insecure)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'kubectl-ds;__complete' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'kubectl-ds;help' {
            [CompletionResult]::new('explain', 'explain', [CompletionResultType]::ParameterValue, 'Every node, its verdict and the reason, for a DaemonSet or a manifest not yet applied')
            [CompletionResult]::new('completion', 'completion', [CompletionResultType]::ParameterValue, 'Shell completion: scripts for the kubectl-ds binary, or `install` for `kubectl ds <TAB>`')
            [CompletionResult]::new('lint', 'lint', [CompletionResultType]::ParameterValue, 'DaemonSet-specific checks of manifests or the cluster''s DaemonSets, aware of node agents')
            [CompletionResult]::new('node', 'node', [CompletionResultType]::ParameterValue, 'Every DaemonSet as one node sees it: does it belong there, is its pod there and healthy')
            [CompletionResult]::new('rollout-status', 'rollout-status', [CompletionResultType]::ParameterValue, 'kubectl''s rollout verdict, which nodes hold the rollout up and why, and the next step')
            [CompletionResult]::new('version', 'version', [CompletionResultType]::ParameterValue, 'The tool''s version and, when a cluster is reachable, the server''s')
            [CompletionResult]::new('why-not-scheduled', 'why-not-scheduled', [CompletionResultType]::ParameterValue, 'For each node without a healthy pod: every rule, its evidence, and the fix')
            [CompletionResult]::new('__complete', '__complete', [CompletionResultType]::ParameterValue, 'kubectl''s plugin completion protocol (what kubectl_complete-ds runs)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'kubectl-ds;help;explain' {
            break
        }
        'kubectl-ds;help;completion' {
            [CompletionResult]::new('bash', 'bash', [CompletionResultType]::ParameterValue, 'Print the completion script for the kubectl-ds binary')
            [CompletionResult]::new('zsh', 'zsh', [CompletionResultType]::ParameterValue, 'Print the completion script for the kubectl-ds binary')
            [CompletionResult]::new('fish', 'fish', [CompletionResultType]::ParameterValue, 'Print the completion script for the kubectl-ds binary')
            [CompletionResult]::new('powershell', 'powershell', [CompletionResultType]::ParameterValue, 'Print the completion script for the kubectl-ds binary')
            [CompletionResult]::new('install', 'install', [CompletionResultType]::ParameterValue, 'Install kubectl_complete-ds next to kubectl-ds, so that kubectl completes `kubectl ds`')
            break
        }
        'kubectl-ds;help;completion;bash' {
            break
        }
        'kubectl-ds;help;completion;zsh' {
            break
        }
        'kubectl-ds;help;completion;fish' {
            break
        }
        'kubectl-ds;help;completion;powershell' {
            break
        }
        'kubectl-ds;help;completion;install' {
            break
        }
        'kubectl-ds;help;lint' {
            break
        }
        'kubectl-ds;help;node' {
            break
        }
        'kubectl-ds;help;rollout-status' {
            break
        }
        'kubectl-ds;help;version' {
            break
        }
        'kubectl-ds;help;why-not-scheduled' {
            break
        }
        'kubectl-ds;help;__complete' {
            break
        }
        'kubectl-ds;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
