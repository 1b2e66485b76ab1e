# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_kubectl_ds_global_optspecs
    string join \n A/all-namespaces from= n/namespace= kubernetes-version= as-of= stuck-after= kubeconfig= context= cluster= user= request-timeout= as= as-group= s/server= token= certificate-authority= insecure-skip-tls-verify o/output= color= no-headers h/help V/version
end

function __fish_kubectl_ds_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_kubectl_ds_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_kubectl_ds_using_subcommand
    set -l cmd (__fish_kubectl_ds_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c kubectl-ds -n "__fish_kubectl_ds_needs_command" -l from -d 'Read cluster state from dumps instead of the API: a file, a directory, or - for stdin (kubectl get -o yaml|json, cluster-info dump, must-gather). Repeatable' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_needs_command" -s n -l namespace -d 'The namespace of the DaemonSet. Offline, defaults to the one namespace that holds it' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_needs_command" -l kubernetes-version -d 'Evaluate with this Kubernetes version\'s rules (default: the server\'s, offline the newest kubelet\'s)' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_needs_command" -l as-of -d 'Evaluate as of this moment (RFC 3339). Offline default: the newest timestamp in the data' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_needs_command" -l stuck-after -d 'A pod not ready or still being created for longer than this is Stuck' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_needs_command" -l kubeconfig -d 'Path to the kubeconfig file (replaces KUBECONFIG)' -r -F
complete -c kubectl-ds -n "__fish_kubectl_ds_needs_command" -l context -d 'The kubeconfig context to use' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_needs_command" -l cluster -d 'The kubeconfig cluster to use' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_needs_command" -l user -d 'The kubeconfig user to use' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_needs_command" -l request-timeout -d 'How long to wait for each request: seconds or a duration (1s, 2m, 3h); 0, the default, sets no limit but gives up on a server silent for 60s' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_needs_command" -l as -d 'Username to impersonate' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_needs_command" -l as-group -d 'Group to impersonate (repeatable)' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_needs_command" -s s -l server -d 'The address of the Kubernetes API server' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_needs_command" -l token -d 'Bearer token for authentication to the API server' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_needs_command" -l certificate-authority -d 'Path to a CA certificate file for the server' -r -F
complete -c kubectl-ds -n "__fish_kubectl_ds_needs_command" -s o -l output -d 'Output format' -r -f -a "table\t''
wide\t''
json\t''
yaml\t''
name\t'daemonset.apps/NAME per line, for piping into kubectl'"
complete -c kubectl-ds -n "__fish_kubectl_ds_needs_command" -l color -d 'Colour: auto (a terminal without NO_COLOR), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c kubectl-ds -n "__fish_kubectl_ds_needs_command" -s A -l all-namespaces -d 'Every namespace'
complete -c kubectl-ds -n "__fish_kubectl_ds_needs_command" -l insecure-skip-tls-verify -d 'Do not check the server\'s certificate (insecure)'
complete -c kubectl-ds -n "__fish_kubectl_ds_needs_command" -l no-headers -d 'Print the table without its header'
complete -c kubectl-ds -n "__fish_kubectl_ds_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-ds -n "__fish_kubectl_ds_needs_command" -s V -l version -d 'Print version'
complete -c kubectl-ds -n "__fish_kubectl_ds_needs_command" -f -a "explain" -d 'Every node, its verdict and the reason, for a DaemonSet or a manifest not yet applied'
complete -c kubectl-ds -n "__fish_kubectl_ds_needs_command" -f -a "completion" -d 'Shell completion: scripts for the kubectl-ds binary, or `install` for `kubectl ds <TAB>`'
complete -c kubectl-ds -n "__fish_kubectl_ds_needs_command" -f -a "lint" -d 'DaemonSet-specific checks of manifests or the cluster\'s DaemonSets, aware of node agents'
complete -c kubectl-ds -n "__fish_kubectl_ds_needs_command" -f -a "node" -d 'Every DaemonSet as one node sees it: does it belong there, is its pod there and healthy'
complete -c kubectl-ds -n "__fish_kubectl_ds_needs_command" -f -a "rollout-status" -d 'kubectl\'s rollout verdict, which nodes hold the rollout up and why, and the next step'
complete -c kubectl-ds -n "__fish_kubectl_ds_needs_command" -f -a "version" -d 'The tool\'s version and, when a cluster is reachable, the server\'s'
complete -c kubectl-ds -n "__fish_kubectl_ds_needs_command" -f -a "why-not-scheduled" -d 'For each node without a healthy pod: every rule, its evidence, and the fix'
complete -c kubectl-ds -n "__fish_kubectl_ds_needs_command" -f -a "__complete" -d 'kubectl\'s plugin completion protocol (what kubectl_complete-ds runs)'
complete -c kubectl-ds -n "__fish_kubectl_ds_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand explain" -s f -l filename -d 'Evaluate a DaemonSet manifest that is not applied (what-if); - reads stdin' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand explain" -l from -d 'Read cluster state from dumps instead of the API: a file, a directory, or - for stdin (kubectl get -o yaml|json, cluster-info dump, must-gather). Repeatable' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand explain" -s n -l namespace -d 'The namespace of the DaemonSet. Offline, defaults to the one namespace that holds it' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand explain" -l kubernetes-version -d 'Evaluate with this Kubernetes version\'s rules (default: the server\'s, offline the newest kubelet\'s)' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand explain" -l as-of -d 'Evaluate as of this moment (RFC 3339). Offline default: the newest timestamp in the data' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand explain" -l stuck-after -d 'A pod not ready or still being created for longer than this is Stuck' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand explain" -l kubeconfig -d 'Path to the kubeconfig file (replaces KUBECONFIG)' -r -F
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand explain" -l context -d 'The kubeconfig context to use' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand explain" -l cluster -d 'The kubeconfig cluster to use' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand explain" -l user -d 'The kubeconfig user to use' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand explain" -l request-timeout -d 'How long to wait for each request: seconds or a duration (1s, 2m, 3h); 0, the default, sets no limit but gives up on a server silent for 60s' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand explain" -l as -d 'Username to impersonate' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand explain" -l as-group -d 'Group to impersonate (repeatable)' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand explain" -s s -l server -d 'The address of the Kubernetes API server' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand explain" -l token -d 'Bearer token for authentication to the API server' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand explain" -l certificate-authority -d 'Path to a CA certificate file for the server' -r -F
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand explain" -s o -l output -d 'Output format' -r -f -a "table\t''
wide\t''
json\t''
yaml\t''
name\t'node/NAME per row, for piping into kubectl (e.g. --status Missing -o name | xargs kubectl describe)'"
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand explain" -l node -d 'Only these nodes (repeatable, or comma-separated)' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand explain" -l status -d 'Only nodes with these statuses (repeatable, or comma-separated)' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand explain" -s l -l selector -d 'Only nodes whose labels match this selector (e.g. node-role.kubernetes.io/worker,zone in (a,b))' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand explain" -l color -d 'When to colour: auto (a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand explain" -l insecure-skip-tls-verify -d 'Do not check the server\'s certificate (insecure)'
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand explain" -l exit-code -d 'Exit 1 when an eligible node lacks a healthy pod (what-if: would be Pending, or would lose its pod)'
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand explain" -l no-headers -d 'Omit the table header'
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand explain" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand completion; and not __fish_seen_subcommand_from bash zsh fish powershell install help" -s h -l help -d 'Print help'
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand completion; and not __fish_seen_subcommand_from bash zsh fish powershell install help" -f -a "bash" -d 'Print the completion script for the kubectl-ds binary'
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand completion; and not __fish_seen_subcommand_from bash zsh fish powershell install help" -f -a "zsh" -d 'Print the completion script for the kubectl-ds binary'
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand completion; and not __fish_seen_subcommand_from bash zsh fish powershell install help" -f -a "fish" -d 'Print the completion script for the kubectl-ds binary'
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand completion; and not __fish_seen_subcommand_from bash zsh fish powershell install help" -f -a "powershell" -d 'Print the completion script for the kubectl-ds binary'
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand completion; and not __fish_seen_subcommand_from bash zsh fish powershell install help" -f -a "install" -d 'Install kubectl_complete-ds next to kubectl-ds, so that kubectl completes `kubectl ds`'
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand completion; and not __fish_seen_subcommand_from bash zsh fish powershell install help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand completion; and __fish_seen_subcommand_from bash" -s h -l help -d 'Print help'
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand completion; and __fish_seen_subcommand_from zsh" -s h -l help -d 'Print help'
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand completion; and __fish_seen_subcommand_from fish" -s h -l help -d 'Print help'
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand completion; and __fish_seen_subcommand_from powershell" -s h -l help -d 'Print help'
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand completion; and __fish_seen_subcommand_from install" -l dir -d 'Where to put it (default: the directory holding this kubectl-ds, as krew installs it)' -r -F
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand completion; and __fish_seen_subcommand_from install" -s h -l help -d 'Print help'
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand completion; and __fish_seen_subcommand_from help" -f -a "bash" -d 'Print the completion script for the kubectl-ds binary'
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand completion; and __fish_seen_subcommand_from help" -f -a "zsh" -d 'Print the completion script for the kubectl-ds binary'
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand completion; and __fish_seen_subcommand_from help" -f -a "fish" -d 'Print the completion script for the kubectl-ds binary'
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand completion; and __fish_seen_subcommand_from help" -f -a "powershell" -d 'Print the completion script for the kubectl-ds binary'
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand completion; and __fish_seen_subcommand_from help" -f -a "install" -d 'Install kubectl_complete-ds next to kubectl-ds, so that kubectl completes `kubectl ds`'
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand completion; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand lint" -s f -l filename -d 'Manifests to lint: files, directories, or - for stdin (repeatable)' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand lint" -l from -d 'Read cluster state from dumps instead of the API: a file, a directory, or - for stdin (kubectl get -o yaml|json, cluster-info dump, must-gather). Repeatable' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand lint" -s n -l namespace -d 'The namespace of the DaemonSet. Offline, defaults to the one namespace that holds it' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand lint" -l kubernetes-version -d 'Evaluate with this Kubernetes version\'s rules (default: the server\'s, offline the newest kubelet\'s)' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand lint" -l as-of -d 'Evaluate as of this moment (RFC 3339). Offline default: the newest timestamp in the data' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand lint" -l stuck-after -d 'A pod not ready or still being created for longer than this is Stuck' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand lint" -l kubeconfig -d 'Path to the kubeconfig file (replaces KUBECONFIG)' -r -F
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand lint" -l context -d 'The kubeconfig context to use' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand lint" -l cluster -d 'The kubeconfig cluster to use' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand lint" -l user -d 'The kubeconfig user to use' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand lint" -l request-timeout -d 'How long to wait for each request: seconds or a duration (1s, 2m, 3h); 0, the default, sets no limit but gives up on a server silent for 60s' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand lint" -l as -d 'Username to impersonate' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand lint" -l as-group -d 'Group to impersonate (repeatable)' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand lint" -s s -l server -d 'The address of the Kubernetes API server' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand lint" -l token -d 'Bearer token for authentication to the API server' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand lint" -l certificate-authority -d 'Path to a CA certificate file for the server' -r -F
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand lint" -s o -l output -d 'Output format' -r -f -a "text\t''
json\t''
yaml\t''
sarif\t''
junit\t''"
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand lint" -l fail-on -d 'Exit 1 when a finding is at or above this severity' -r -f -a "error\t''
warning\t''
info\t''
never\t'Never fail on findings (exit 0 unless the input cannot be read)'"
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand lint" -l config -d 'Config file (default: .kubectl-ds.yaml in the current directory, if there is one)' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand lint" -l color -d 'Colour: auto (a terminal without NO_COLOR), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand lint" -s A -l all-namespaces -d 'Every DaemonSet in every namespace of the cluster or --from'
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand lint" -l live -d 'With -f: also read the live cluster (nodes, taints, namespaces, ...) for the cluster rules'
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand lint" -l insecure-skip-tls-verify -d 'Do not check the server\'s certificate (insecure)'
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand lint" -l show-suppressed -d 'Also show the findings that suppressions hide'
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand lint" -l list-rules -d 'Print the rule catalogue and exit'
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand lint" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand node" -l from -d 'Read cluster state from dumps instead of the API: a file, a directory, or - for stdin (kubectl get -o yaml|json, cluster-info dump, must-gather). Repeatable' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand node" -s n -l namespace -d 'The namespace of the DaemonSet. Offline, defaults to the one namespace that holds it' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand node" -l kubernetes-version -d 'Evaluate with this Kubernetes version\'s rules (default: the server\'s, offline the newest kubelet\'s)' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand node" -l as-of -d 'Evaluate as of this moment (RFC 3339). Offline default: the newest timestamp in the data' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand node" -l stuck-after -d 'A pod not ready or still being created for longer than this is Stuck' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand node" -l kubeconfig -d 'Path to the kubeconfig file (replaces KUBECONFIG)' -r -F
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand node" -l context -d 'The kubeconfig context to use' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand node" -l cluster -d 'The kubeconfig cluster to use' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand node" -l user -d 'The kubeconfig user to use' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand node" -l request-timeout -d 'How long to wait for each request: seconds or a duration (1s, 2m, 3h); 0, the default, sets no limit but gives up on a server silent for 60s' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand node" -l as -d 'Username to impersonate' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand node" -l as-group -d 'Group to impersonate (repeatable)' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand node" -s s -l server -d 'The address of the Kubernetes API server' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand node" -l token -d 'Bearer token for authentication to the API server' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand node" -l certificate-authority -d 'Path to a CA certificate file for the server' -r -F
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand node" -s o -l output -d 'Output format' -r -f -a "table\t''
wide\t''
json\t''
yaml\t''
name\t'daemonset.apps/NAME per line, for piping into kubectl'"
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand node" -l color -d 'Colour: auto (a terminal without NO_COLOR), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand node" -l insecure-skip-tls-verify -d 'Do not check the server\'s certificate (insecure)'
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand node" -l no-headers -d 'Print the table without its header'
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand node" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand rollout-status" -l from -d 'Read cluster state from dumps instead of the API: a file, a directory, or - for stdin (kubectl get -o yaml|json, cluster-info dump, must-gather). Repeatable' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand rollout-status" -s n -l namespace -d 'The namespace of the DaemonSet. Offline, defaults to the one namespace that holds it' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand rollout-status" -l kubernetes-version -d 'Evaluate with this Kubernetes version\'s rules (default: the server\'s, offline the newest kubelet\'s)' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand rollout-status" -l as-of -d 'Evaluate as of this moment (RFC 3339). Offline default: the newest timestamp in the data' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand rollout-status" -l stuck-after -d 'A pod not ready or still being created for longer than this is Stuck' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand rollout-status" -l kubeconfig -d 'Path to the kubeconfig file (replaces KUBECONFIG)' -r -F
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand rollout-status" -l context -d 'The kubeconfig context to use' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand rollout-status" -l cluster -d 'The kubeconfig cluster to use' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand rollout-status" -l user -d 'The kubeconfig user to use' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand rollout-status" -l request-timeout -d 'How long to wait for each request: seconds or a duration (1s, 2m, 3h); 0, the default, sets no limit but gives up on a server silent for 60s' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand rollout-status" -l as -d 'Username to impersonate' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand rollout-status" -l as-group -d 'Group to impersonate (repeatable)' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand rollout-status" -s s -l server -d 'The address of the Kubernetes API server' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand rollout-status" -l token -d 'Bearer token for authentication to the API server' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand rollout-status" -l certificate-authority -d 'Path to a CA certificate file for the server' -r -F
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand rollout-status" -s o -l output -d 'Output format' -r -f -a "table\t''
wide\t''
json\t''
yaml\t''"
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand rollout-status" -s w -l watch -d 'Live: watch until the rollout is complete (--watch=false answers once). Offline input is always answered once' -r -f -a "true\t''
false\t''"
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand rollout-status" -l timeout -d 'Stop watching after this long and exit 1 with the blocking nodes (0: no limit)' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand rollout-status" -l color -d 'When to colour: auto (a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand rollout-status" -l insecure-skip-tls-verify -d 'Do not check the server\'s certificate (insecure)'
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand rollout-status" -l no-headers -d 'Omit the table header'
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand rollout-status" -s h -l help -d 'Print help'
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand version" -l kubeconfig -d 'Path to the kubeconfig file (replaces KUBECONFIG)' -r -F
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand version" -l context -d 'The kubeconfig context to use' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand version" -l cluster -d 'The kubeconfig cluster to use' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand version" -l user -d 'The kubeconfig user to use' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand version" -l request-timeout -d 'How long to wait for each request: seconds or a duration (1s, 2m, 3h); 0, the default, sets no limit but gives up on a server silent for 60s' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand version" -l as -d 'Username to impersonate' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand version" -l as-group -d 'Group to impersonate (repeatable)' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand version" -s s -l server -d 'The address of the Kubernetes API server' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand version" -l token -d 'Bearer token for authentication to the API server' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand version" -l certificate-authority -d 'Path to a CA certificate file for the server' -r -F
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand version" -l client -d 'Only this tool\'s version; do not contact the cluster'
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand version" -l insecure-skip-tls-verify -d 'Do not check the server\'s certificate (insecure)'
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand version" -s h -l help -d 'Print help'
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand why-not-scheduled" -s f -l filename -d 'Trace a DaemonSet manifest that is not applied (what-if); - reads stdin' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand why-not-scheduled" -l node -d 'Trace these nodes, whatever their status (repeatable, or comma-separated). Default: every node that is Missing, Stuck or Misscheduled, and the excluded ones grouped by cause' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand why-not-scheduled" -l from -d 'Read cluster state from dumps instead of the API: a file, a directory, or - for stdin (kubectl get -o yaml|json, cluster-info dump, must-gather). Repeatable' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand why-not-scheduled" -s n -l namespace -d 'The namespace of the DaemonSet. Offline, defaults to the one namespace that holds it' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand why-not-scheduled" -l kubernetes-version -d 'Evaluate with this Kubernetes version\'s rules (default: the server\'s, offline the newest kubelet\'s)' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand why-not-scheduled" -l as-of -d 'Evaluate as of this moment (RFC 3339). Offline default: the newest timestamp in the data' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand why-not-scheduled" -l stuck-after -d 'A pod not ready or still being created for longer than this is Stuck' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand why-not-scheduled" -l kubeconfig -d 'Path to the kubeconfig file (replaces KUBECONFIG)' -r -F
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand why-not-scheduled" -l context -d 'The kubeconfig context to use' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand why-not-scheduled" -l cluster -d 'The kubeconfig cluster to use' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand why-not-scheduled" -l user -d 'The kubeconfig user to use' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand why-not-scheduled" -l request-timeout -d 'How long to wait for each request: seconds or a duration (1s, 2m, 3h); 0, the default, sets no limit but gives up on a server silent for 60s' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand why-not-scheduled" -l as -d 'Username to impersonate' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand why-not-scheduled" -l as-group -d 'Group to impersonate (repeatable)' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand why-not-scheduled" -s s -l server -d 'The address of the Kubernetes API server' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand why-not-scheduled" -l token -d 'Bearer token for authentication to the API server' -r
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand why-not-scheduled" -l certificate-authority -d 'Path to a CA certificate file for the server' -r -F
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand why-not-scheduled" -s o -l output -d 'Output format' -r -f -a "text\t''
json\t''
yaml\t''"
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand why-not-scheduled" -l color -d 'When to colour: auto (a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand why-not-scheduled" -l insecure-skip-tls-verify -d 'Do not check the server\'s certificate (insecure)'
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand why-not-scheduled" -s h -l help -d 'Print help'
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand __complete" -s h -l help -d 'Print help'
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand help; and not __fish_seen_subcommand_from explain completion lint node rollout-status version why-not-scheduled __complete help" -f -a "explain" -d 'Every node, its verdict and the reason, for a DaemonSet or a manifest not yet applied'
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand help; and not __fish_seen_subcommand_from explain completion lint node rollout-status version why-not-scheduled __complete help" -f -a "completion" -d 'Shell completion: scripts for the kubectl-ds binary, or `install` for `kubectl ds <TAB>`'
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand help; and not __fish_seen_subcommand_from explain completion lint node rollout-status version why-not-scheduled __complete help" -f -a "lint" -d 'DaemonSet-specific checks of manifests or the cluster\'s DaemonSets, aware of node agents'
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand help; and not __fish_seen_subcommand_from explain completion lint node rollout-status version why-not-scheduled __complete help" -f -a "node" -d 'Every DaemonSet as one node sees it: does it belong there, is its pod there and healthy'
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand help; and not __fish_seen_subcommand_from explain completion lint node rollout-status version why-not-scheduled __complete help" -f -a "rollout-status" -d 'kubectl\'s rollout verdict, which nodes hold the rollout up and why, and the next step'
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand help; and not __fish_seen_subcommand_from explain completion lint node rollout-status version why-not-scheduled __complete help" -f -a "version" -d 'The tool\'s version and, when a cluster is reachable, the server\'s'
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand help; and not __fish_seen_subcommand_from explain completion lint node rollout-status version why-not-scheduled __complete help" -f -a "why-not-scheduled" -d 'For each node without a healthy pod: every rule, its evidence, and the fix'
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand help; and not __fish_seen_subcommand_from explain completion lint node rollout-status version why-not-scheduled __complete help" -f -a "__complete" -d 'kubectl\'s plugin completion protocol (what kubectl_complete-ds runs)'
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand help; and not __fish_seen_subcommand_from explain completion lint node rollout-status version why-not-scheduled __complete help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand help; and __fish_seen_subcommand_from completion" -f -a "bash" -d 'Print the completion script for the kubectl-ds binary'
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand help; and __fish_seen_subcommand_from completion" -f -a "zsh" -d 'Print the completion script for the kubectl-ds binary'
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand help; and __fish_seen_subcommand_from completion" -f -a "fish" -d 'Print the completion script for the kubectl-ds binary'
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand help; and __fish_seen_subcommand_from completion" -f -a "powershell" -d 'Print the completion script for the kubectl-ds binary'
complete -c kubectl-ds -n "__fish_kubectl_ds_using_subcommand help; and __fish_seen_subcommand_from completion" -f -a "install" -d 'Install kubectl_complete-ds next to kubectl-ds, so that kubectl completes `kubectl ds`'
