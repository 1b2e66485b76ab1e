#compdef kubectl-ds

autoload -U is-at-least

_kubectl-ds() {
    typeset -A opt_args
    typeset -a _arguments_options
    local ret=1

    if is-at-least 5.2; then
        _arguments_options=(-s -S -C)
    else
        _arguments_options=(-s -C)
    fi

    local context curcontext="$curcontext" state line
    _arguments "${_arguments_options[@]}" : \
'*--from=[Read cluster state from dumps instead of the API\: a file, a directory, or - for stdin (kubectl get -o yaml|json, cluster-info dump, must-gather). Repeatable]:PATH:_default' \
'-n+[The namespace of the DaemonSet. Offline, defaults to the one namespace that holds it]:NAMESPACE:_default' \
'--namespace=[The namespace of the DaemonSet. Offline, defaults to the one namespace that holds it]:NAMESPACE:_default' \
'--kubernetes-version=[Evaluate with this Kubernetes version'\''s rules (default\: the server'\''s, offline the newest kubelet'\''s)]:VERSION:_default' \
'--as-of=[Evaluate as of this moment (RFC 3339). Offline default\: the newest timestamp in the data]:TIME:_default' \
'--stuck-after=[A pod not ready or still being created for longer than this is Stuck]:DURATION:_default' \
'--kubeconfig=[Path to the kubeconfig file (replaces KUBECONFIG)]:PATH:_files' \
'--context=[The kubeconfig context to use]:CONTEXT:_default' \
'--cluster=[The kubeconfig cluster to use]:CLUSTER:_default' \
'--user=[The kubeconfig user to use]:USER:_default' \
'--request-timeout=[How long to wait for each request\: seconds or a duration (1s, 2m, 3h); 0, the default, sets no limit but gives up on a server silent for 60s]:DURATION:_default' \
'--as=[Username to impersonate]:USER:_default' \
'*--as-group=[Group to impersonate (repeatable)]:GROUP:_default' \
'-s+[The address of the Kubernetes API server]:URL:_default' \
'--server=[The address of the Kubernetes API server]:URL:_default' \
'--token=[Bearer token for authentication to the API server]:TOKEN:_default' \
'--certificate-authority=[Path to a CA certificate file for the server]:PATH:_files' \
'-o+[Output format]:OUTPUT:((table\:""
wide\:""
json\:""
yaml\:""
name\:"daemonset.apps/NAME per line, for piping into kubectl"))' \
'--output=[Output format]:OUTPUT:((table\:""
wide\:""
json\:""
yaml\:""
name\:"daemonset.apps/NAME per line, for piping into kubectl"))' \
'--color=[Colour\: auto (a terminal without NO_COLOR), always, never]:COLOR:(auto always never)' \
'-A[Every namespace]' \
'--all-namespaces[Every namespace]' \
'--insecure-skip-tls-verify[Do not check the server'\''s certificate (insecure)]' \
'--no-headers[Print the table without its header]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
":: :_kubectl-ds_commands" \
"*::: :->kubectl-ds" \
&& ret=0
    case $state in
    (kubectl-ds)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:kubectl-ds-command-$line[1]:"
        case $line[1] in
            (explain)
_arguments "${_arguments_options[@]}" : \
'-f+[Evaluate a DaemonSet manifest that is not applied (what-if); - reads stdin]:FILE:_default' \
'--filename=[Evaluate a DaemonSet manifest that is not applied (what-if); - reads stdin]:FILE:_default' \
'*--from=[Read cluster state from dumps instead of the API\: a file, a directory, or - for stdin (kubectl get -o yaml|json, cluster-info dump, must-gather). Repeatable]:PATH:_default' \
'-n+[The namespace of the DaemonSet. Offline, defaults to the one namespace that holds it]:NAMESPACE:_default' \
'--namespace=[The namespace of the DaemonSet. Offline, defaults to the one namespace that holds it]:NAMESPACE:_default' \
'--kubernetes-version=[Evaluate with this Kubernetes version'\''s rules (default\: the server'\''s, offline the newest kubelet'\''s)]:VERSION:_default' \
'--as-of=[Evaluate as of this moment (RFC 3339). Offline default\: the newest timestamp in the data]:TIME:_default' \
'--stuck-after=[A pod not ready or still being created for longer than this is Stuck]:DURATION:_default' \
'--kubeconfig=[Path to the kubeconfig file (replaces KUBECONFIG)]:PATH:_files' \
'--context=[The kubeconfig context to use]:CONTEXT:_default' \
'--cluster=[The kubeconfig cluster to use]:CLUSTER:_default' \
'--user=[The kubeconfig user to use]:USER:_default' \
'--request-timeout=[How long to wait for each request\: seconds or a duration (1s, 2m, 3h); 0, the default, sets no limit but gives up on a server silent for 60s]:DURATION:_default' \
'--as=[Username to impersonate]:USER:_default' \
'*--as-group=[Group to impersonate (repeatable)]:GROUP:_default' \
'-s+[The address of the Kubernetes API server]:URL:_default' \
'--server=[The address of the Kubernetes API server]:URL:_default' \
'--token=[Bearer token for authentication to the API server]:TOKEN:_default' \
'--certificate-authority=[Path to a CA certificate file for the server]:PATH:_files' \
'-o+[Output format]:OUTPUT:((table\:""
wide\:""
json\:""
yaml\:""
name\:"node/NAME per row, for piping into kubectl (e.g. --status Missing -o name | xargs kubectl describe)"))' \
'--output=[Output format]:OUTPUT:((table\:""
wide\:""
json\:""
yaml\:""
name\:"node/NAME per row, for piping into kubectl (e.g. --status Missing -o name | xargs kubectl describe)"))' \
'*--node=[Only these nodes (repeatable, or comma-separated)]:NODE:_default' \
'*--status=[Only nodes with these statuses (repeatable, or comma-separated)]:STATUS:_default' \
'-l+[Only nodes whose labels match this selector (e.g. node-role.kubernetes.io/worker,zone in (a,b))]:SELECTOR:_default' \
'--selector=[Only nodes whose labels match this selector (e.g. node-role.kubernetes.io/worker,zone in (a,b))]:SELECTOR:_default' \
'--color=[When to colour\: auto (a terminal, unless NO_COLOR is set), always, never]:WHEN:(auto always never)' \
'--insecure-skip-tls-verify[Do not check the server'\''s certificate (insecure)]' \
'--exit-code[Exit 1 when an eligible node lacks a healthy pod (what-if\: would be Pending, or would lose its pod)]' \
'--no-headers[Omit the table header]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'::name -- The DaemonSet'\''s name (with -f\: picks one DaemonSet of the manifest):_default' \
&& ret=0
;;
(completion)
_arguments "${_arguments_options[@]}" : \
'-h[Print help]' \
'--help[Print help]' \
":: :_kubectl-ds__subcmd__completion_commands" \
"*::: :->completion" \
&& ret=0

    case $state in
    (completion)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:kubectl-ds-completion-command-$line[1]:"
        case $line[1] in
            (bash)
_arguments "${_arguments_options[@]}" : \
'-h[Print help]' \
'--help[Print help]' \
&& ret=0
;;
(zsh)
_arguments "${_arguments_options[@]}" : \
'-h[Print help]' \
'--help[Print help]' \
&& ret=0
;;
(fish)
_arguments "${_arguments_options[@]}" : \
'-h[Print help]' \
'--help[Print help]' \
&& ret=0
;;
(powershell)
_arguments "${_arguments_options[@]}" : \
'-h[Print help]' \
'--help[Print help]' \
&& ret=0
;;
(install)
_arguments "${_arguments_options[@]}" : \
'--dir=[Where to put it (default\: the directory holding this kubectl-ds, as krew installs it)]:DIR:_files' \
'-h[Print help]' \
'--help[Print help]' \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
":: :_kubectl-ds__subcmd__completion__subcmd__help_commands" \
"*::: :->help" \
&& ret=0

    case $state in
    (help)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:kubectl-ds-completion-help-command-$line[1]:"
        case $line[1] in
            (bash)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(zsh)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(fish)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(powershell)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(install)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
        esac
    ;;
esac
;;
        esac
    ;;
esac
;;
(lint)
_arguments "${_arguments_options[@]}" : \
'*-f+[Manifests to lint\: files, directories, or - for stdin (repeatable)]:PATH:_default' \
'*--filename=[Manifests to lint\: files, directories, or - for stdin (repeatable)]:PATH:_default' \
'*--from=[Read cluster state from dumps instead of the API\: a file, a directory, or - for stdin (kubectl get -o yaml|json, cluster-info dump, must-gather). Repeatable]:PATH:_default' \
'-n+[The namespace of the DaemonSet. Offline, defaults to the one namespace that holds it]:NAMESPACE:_default' \
'--namespace=[The namespace of the DaemonSet. Offline, defaults to the one namespace that holds it]:NAMESPACE:_default' \
'--kubernetes-version=[Evaluate with this Kubernetes version'\''s rules (default\: the server'\''s, offline the newest kubelet'\''s)]:VERSION:_default' \
'--as-of=[Evaluate as of this moment (RFC 3339). Offline default\: the newest timestamp in the data]:TIME:_default' \
'--stuck-after=[A pod not ready or still being created for longer than this is Stuck]:DURATION:_default' \
'--kubeconfig=[Path to the kubeconfig file (replaces KUBECONFIG)]:PATH:_files' \
'--context=[The kubeconfig context to use]:CONTEXT:_default' \
'--cluster=[The kubeconfig cluster to use]:CLUSTER:_default' \
'--user=[The kubeconfig user to use]:USER:_default' \
'--request-timeout=[How long to wait for each request\: seconds or a duration (1s, 2m, 3h); 0, the default, sets no limit but gives up on a server silent for 60s]:DURATION:_default' \
'--as=[Username to impersonate]:USER:_default' \
'*--as-group=[Group to impersonate (repeatable)]:GROUP:_default' \
'-s+[The address of the Kubernetes API server]:URL:_default' \
'--server=[The address of the Kubernetes API server]:URL:_default' \
'--token=[Bearer token for authentication to the API server]:TOKEN:_default' \
'--certificate-authority=[Path to a CA certificate file for the server]:PATH:_files' \
'-o+[Output format]:OUTPUT:(text json yaml sarif junit)' \
'--output=[Output format]:OUTPUT:(text json yaml sarif junit)' \
'--fail-on=[Exit 1 when a finding is at or above this severity]:FAIL_ON:((error\:""
warning\:""
info\:""
never\:"Never fail on findings (exit 0 unless the input cannot be read)"))' \
'--config=[Config file (default\: .kubectl-ds.yaml in the current directory, if there is one)]:FILE:_default' \
'--color=[Colour\: auto (a terminal without NO_COLOR), always, never]:COLOR:(auto always never)' \
'-A[Every DaemonSet in every namespace of the cluster or --from]' \
'--all-namespaces[Every DaemonSet in every namespace of the cluster or --from]' \
'--live[With -f\: also read the live cluster (nodes, taints, namespaces, ...) for the cluster rules]' \
'--insecure-skip-tls-verify[Do not check the server'\''s certificate (insecure)]' \
'--show-suppressed[Also show the findings that suppressions hide]' \
'--list-rules[Print the rule catalogue and exit]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'*::names -- DaemonSets to lint from the cluster or --from (with -f\: only these of the manifests):_default' \
&& ret=0
;;
(node)
_arguments "${_arguments_options[@]}" : \
'*--from=[Read cluster state from dumps instead of the API\: a file, a directory, or - for stdin (kubectl get -o yaml|json, cluster-info dump, must-gather). Repeatable]:PATH:_default' \
'-n+[The namespace of the DaemonSet. Offline, defaults to the one namespace that holds it]:NAMESPACE:_default' \
'--namespace=[The namespace of the DaemonSet. Offline, defaults to the one namespace that holds it]:NAMESPACE:_default' \
'--kubernetes-version=[Evaluate with this Kubernetes version'\''s rules (default\: the server'\''s, offline the newest kubelet'\''s)]:VERSION:_default' \
'--as-of=[Evaluate as of this moment (RFC 3339). Offline default\: the newest timestamp in the data]:TIME:_default' \
'--stuck-after=[A pod not ready or still being created for longer than this is Stuck]:DURATION:_default' \
'--kubeconfig=[Path to the kubeconfig file (replaces KUBECONFIG)]:PATH:_files' \
'--context=[The kubeconfig context to use]:CONTEXT:_default' \
'--cluster=[The kubeconfig cluster to use]:CLUSTER:_default' \
'--user=[The kubeconfig user to use]:USER:_default' \
'--request-timeout=[How long to wait for each request\: seconds or a duration (1s, 2m, 3h); 0, the default, sets no limit but gives up on a server silent for 60s]:DURATION:_default' \
'--as=[Username to impersonate]:USER:_default' \
'*--as-group=[Group to impersonate (repeatable)]:GROUP:_default' \
'-s+[The address of the Kubernetes API server]:URL:_default' \
'--server=[The address of the Kubernetes API server]:URL:_default' \
'--token=[Bearer token for authentication to the API server]:TOKEN:_default' \
'--certificate-authority=[Path to a CA certificate file for the server]:PATH:_files' \
'-o+[Output format]:OUTPUT:((table\:""
wide\:""
json\:""
yaml\:""
name\:"daemonset.apps/NAME per line, for piping into kubectl"))' \
'--output=[Output format]:OUTPUT:((table\:""
wide\:""
json\:""
yaml\:""
name\:"daemonset.apps/NAME per line, for piping into kubectl"))' \
'--color=[Colour\: auto (a terminal without NO_COLOR), always, never]:COLOR:(auto always never)' \
'--insecure-skip-tls-verify[Do not check the server'\''s certificate (insecure)]' \
'--no-headers[Print the table without its header]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
':node -- The node'\''s name:_default' \
&& ret=0
;;
(rollout-status)
_arguments "${_arguments_options[@]}" : \
'*--from=[Read cluster state from dumps instead of the API\: a file, a directory, or - for stdin (kubectl get -o yaml|json, cluster-info dump, must-gather). Repeatable]:PATH:_default' \
'-n+[The namespace of the DaemonSet. Offline, defaults to the one namespace that holds it]:NAMESPACE:_default' \
'--namespace=[The namespace of the DaemonSet. Offline, defaults to the one namespace that holds it]:NAMESPACE:_default' \
'--kubernetes-version=[Evaluate with this Kubernetes version'\''s rules (default\: the server'\''s, offline the newest kubelet'\''s)]:VERSION:_default' \
'--as-of=[Evaluate as of this moment (RFC 3339). Offline default\: the newest timestamp in the data]:TIME:_default' \
'--stuck-after=[A pod not ready or still being created for longer than this is Stuck]:DURATION:_default' \
'--kubeconfig=[Path to the kubeconfig file (replaces KUBECONFIG)]:PATH:_files' \
'--context=[The kubeconfig context to use]:CONTEXT:_default' \
'--cluster=[The kubeconfig cluster to use]:CLUSTER:_default' \
'--user=[The kubeconfig user to use]:USER:_default' \
'--request-timeout=[How long to wait for each request\: seconds or a duration (1s, 2m, 3h); 0, the default, sets no limit but gives up on a server silent for 60s]:DURATION:_default' \
'--as=[Username to impersonate]:USER:_default' \
'*--as-group=[Group to impersonate (repeatable)]:GROUP:_default' \
'-s+[The address of the Kubernetes API server]:URL:_default' \
'--server=[The address of the Kubernetes API server]:URL:_default' \
'--token=[Bearer token for authentication to the API server]:TOKEN:_default' \
'--certificate-authority=[Path to a CA certificate file for the server]:PATH:_files' \
'-o+[Output format]:OUTPUT:(table wide json yaml)' \
'--output=[Output format]:OUTPUT:(table wide json yaml)' \
'-w+[Live\: watch until the rollout is complete (--watch=false answers once). Offline input is always answered once]::BOOL:(true false)' \
'--watch=[Live\: watch until the rollout is complete (--watch=false answers once). Offline input is always answered once]::BOOL:(true false)' \
'--timeout=[Stop watching after this long and exit 1 with the blocking nodes (0\: no limit)]:DURATION:_default' \
'--color=[When to colour\: auto (a terminal, unless NO_COLOR is set), always, never]:WHEN:(auto always never)' \
'--insecure-skip-tls-verify[Do not check the server'\''s certificate (insecure)]' \
'--no-headers[Omit the table header]' \
'-h[Print help]' \
'--help[Print help]' \
':name -- The DaemonSet'\''s name:_default' \
&& ret=0
;;
(version)
_arguments "${_arguments_options[@]}" : \
'--kubeconfig=[Path to the kubeconfig file (replaces KUBECONFIG)]:PATH:_files' \
'--context=[The kubeconfig context to use]:CONTEXT:_default' \
'--cluster=[The kubeconfig cluster to use]:CLUSTER:_default' \
'--user=[The kubeconfig user to use]:USER:_default' \
'--request-timeout=[How long to wait for each request\: seconds or a duration (1s, 2m, 3h); 0, the default, sets no limit but gives up on a server silent for 60s]:DURATION:_default' \
'--as=[Username to impersonate]:USER:_default' \
'*--as-group=[Group to impersonate (repeatable)]:GROUP:_default' \
'-s+[The address of the Kubernetes API server]:URL:_default' \
'--server=[The address of the Kubernetes API server]:URL:_default' \
'--token=[Bearer token for authentication to the API server]:TOKEN:_default' \
'--certificate-authority=[Path to a CA certificate file for the server]:PATH:_files' \
'--client[Only this tool'\''s version; do not contact the cluster]' \
'--insecure-skip-tls-verify[Do not check the server'\''s certificate (insecure)]' \
'-h[Print help]' \
'--help[Print help]' \
&& ret=0
;;
(why-not-scheduled)
_arguments "${_arguments_options[@]}" : \
'-f+[Trace a DaemonSet manifest that is not applied (what-if); - reads stdin]:FILE:_default' \
'--filename=[Trace a DaemonSet manifest that is not applied (what-if); - reads stdin]:FILE:_default' \
'*--node=[Trace these nodes, whatever their status (repeatable, or comma-separated). Default\: every node that is Missing, Stuck or Misscheduled, and the excluded ones grouped by cause]:NODE:_default' \
'*--from=[Read cluster state from dumps instead of the API\: a file, a directory, or - for stdin (kubectl get -o yaml|json, cluster-info dump, must-gather). Repeatable]:PATH:_default' \
'-n+[The namespace of the DaemonSet. Offline, defaults to the one namespace that holds it]:NAMESPACE:_default' \
'--namespace=[The namespace of the DaemonSet. Offline, defaults to the one namespace that holds it]:NAMESPACE:_default' \
'--kubernetes-version=[Evaluate with this Kubernetes version'\''s rules (default\: the server'\''s, offline the newest kubelet'\''s)]:VERSION:_default' \
'--as-of=[Evaluate as of this moment (RFC 3339). Offline default\: the newest timestamp in the data]:TIME:_default' \
'--stuck-after=[A pod not ready or still being created for longer than this is Stuck]:DURATION:_default' \
'--kubeconfig=[Path to the kubeconfig file (replaces KUBECONFIG)]:PATH:_files' \
'--context=[The kubeconfig context to use]:CONTEXT:_default' \
'--cluster=[The kubeconfig cluster to use]:CLUSTER:_default' \
'--user=[The kubeconfig user to use]:USER:_default' \
'--request-timeout=[How long to wait for each request\: seconds or a duration (1s, 2m, 3h); 0, the default, sets no limit but gives up on a server silent for 60s]:DURATION:_default' \
'--as=[Username to impersonate]:USER:_default' \
'*--as-group=[Group to impersonate (repeatable)]:GROUP:_default' \
'-s+[The address of the Kubernetes API server]:URL:_default' \
'--server=[The address of the Kubernetes API server]:URL:_default' \
'--token=[Bearer token for authentication to the API server]:TOKEN:_default' \
'--certificate-authority=[Path to a CA certificate file for the server]:PATH:_files' \
'-o+[Output format]:OUTPUT:(text json yaml)' \
'--output=[Output format]:OUTPUT:(text json yaml)' \
'--color=[When to colour\: auto (a terminal, unless NO_COLOR is set), always, never]:WHEN:(auto always never)' \
'--insecure-skip-tls-verify[Do not check the server'\''s certificate (insecure)]' \
'-h[Print help]' \
'--help[Print help]' \
'::name -- The DaemonSet'\''s name (with -f\: picks one DaemonSet of the manifest):_default' \
&& ret=0
;;
(__complete)
_arguments "${_arguments_options[@]}" : \
'-h[Print help]' \
'--help[Print help]' \
'*::words:_default' \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
":: :_kubectl-ds__subcmd__help_commands" \
"*::: :->help" \
&& ret=0

    case $state in
    (help)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:kubectl-ds-help-command-$line[1]:"
        case $line[1] in
            (explain)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(completion)
_arguments "${_arguments_options[@]}" : \
":: :_kubectl-ds__subcmd__help__subcmd__completion_commands" \
"*::: :->completion" \
&& ret=0

    case $state in
    (completion)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:kubectl-ds-help-completion-command-$line[1]:"
        case $line[1] in
            (bash)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(zsh)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(fish)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(powershell)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(install)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
        esac
    ;;
esac
;;
(lint)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(node)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(rollout-status)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(version)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(why-not-scheduled)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(__complete)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
        esac
    ;;
esac
;;
        esac
    ;;
esac
}

(( $+functions[_kubectl-ds_commands] )) ||
_kubectl-ds_commands() {
    local commands; commands=(
'explain:Every node, its verdict and the reason, for a DaemonSet or a manifest not yet applied' \
'completion:Shell completion\: scripts for the kubectl-ds binary, or \`install\` for \`kubectl ds <TAB>\`' \
'lint:DaemonSet-specific checks of manifests or the cluster'\''s DaemonSets, aware of node agents' \
'node:Every DaemonSet as one node sees it\: does it belong there, is its pod there and healthy' \
'rollout-status:kubectl'\''s rollout verdict, which nodes hold the rollout up and why, and the next step' \
'version:The tool'\''s version and, when a cluster is reachable, the server'\''s' \
'why-not-scheduled:For each node without a healthy pod\: every rule, its evidence, and the fix' \
'__complete:kubectl'\''s plugin completion protocol (what kubectl_complete-ds runs)' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'kubectl-ds commands' commands "$@"
}
(( $+functions[_kubectl-ds__subcmd____complete_commands] )) ||
_kubectl-ds__subcmd____complete_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-ds __complete commands' commands "$@"
}
(( $+functions[_kubectl-ds__subcmd__completion_commands] )) ||
_kubectl-ds__subcmd__completion_commands() {
    local commands; commands=(
'bash:Print the completion script for the kubectl-ds binary' \
'zsh:Print the completion script for the kubectl-ds binary' \
'fish:Print the completion script for the kubectl-ds binary' \
'powershell:Print the completion script for the kubectl-ds binary' \
'install:Install kubectl_complete-ds next to kubectl-ds, so that kubectl completes \`kubectl ds\`' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'kubectl-ds completion commands' commands "$@"
}
(( $+functions[_kubectl-ds__subcmd__completion__subcmd__bash_commands] )) ||
_kubectl-ds__subcmd__completion__subcmd__bash_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-ds completion bash commands' commands "$@"
}
(( $+functions[_kubectl-ds__subcmd__completion__subcmd__fish_commands] )) ||
_kubectl-ds__subcmd__completion__subcmd__fish_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-ds completion fish commands' commands "$@"
}
(( $+functions[_kubectl-ds__subcmd__completion__subcmd__help_commands] )) ||
_kubectl-ds__subcmd__completion__subcmd__help_commands() {
    local commands; commands=(
'bash:Print the completion script for the kubectl-ds binary' \
'zsh:Print the completion script for the kubectl-ds binary' \
'fish:Print the completion script for the kubectl-ds binary' \
'powershell:Print the completion script for the kubectl-ds binary' \
'install:Install kubectl_complete-ds next to kubectl-ds, so that kubectl completes \`kubectl ds\`' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'kubectl-ds completion help commands' commands "$@"
}
(( $+functions[_kubectl-ds__subcmd__completion__subcmd__help__subcmd__bash_commands] )) ||
_kubectl-ds__subcmd__completion__subcmd__help__subcmd__bash_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-ds completion help bash commands' commands "$@"
}
(( $+functions[_kubectl-ds__subcmd__completion__subcmd__help__subcmd__fish_commands] )) ||
_kubectl-ds__subcmd__completion__subcmd__help__subcmd__fish_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-ds completion help fish commands' commands "$@"
}
(( $+functions[_kubectl-ds__subcmd__completion__subcmd__help__subcmd__help_commands] )) ||
_kubectl-ds__subcmd__completion__subcmd__help__subcmd__help_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-ds completion help help commands' commands "$@"
}
(( $+functions[_kubectl-ds__subcmd__completion__subcmd__help__subcmd__install_commands] )) ||
_kubectl-ds__subcmd__completion__subcmd__help__subcmd__install_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-ds completion help install commands' commands "$@"
}
(( $+functions[_kubectl-ds__subcmd__completion__subcmd__help__subcmd__powershell_commands] )) ||
_kubectl-ds__subcmd__completion__subcmd__help__subcmd__powershell_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-ds completion help powershell commands' commands "$@"
}
(( $+functions[_kubectl-ds__subcmd__completion__subcmd__help__subcmd__zsh_commands] )) ||
_kubectl-ds__subcmd__completion__subcmd__help__subcmd__zsh_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-ds completion help zsh commands' commands "$@"
}
(( $+functions[_kubectl-ds__subcmd__completion__subcmd__install_commands] )) ||
_kubectl-ds__subcmd__completion__subcmd__install_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-ds completion install commands' commands "$@"
}
(( $+functions[_kubectl-ds__subcmd__completion__subcmd__powershell_commands] )) ||
_kubectl-ds__subcmd__completion__subcmd__powershell_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-ds completion powershell commands' commands "$@"
}
(( $+functions[_kubectl-ds__subcmd__completion__subcmd__zsh_commands] )) ||
_kubectl-ds__subcmd__completion__subcmd__zsh_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-ds completion zsh commands' commands "$@"
}
(( $+functions[_kubectl-ds__subcmd__explain_commands] )) ||
_kubectl-ds__subcmd__explain_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-ds explain commands' commands "$@"
}
(( $+functions[_kubectl-ds__subcmd__help_commands] )) ||
_kubectl-ds__subcmd__help_commands() {
    local commands; commands=(
'explain:Every node, its verdict and the reason, for a DaemonSet or a manifest not yet applied' \
'completion:Shell completion\: scripts for the kubectl-ds binary, or \`install\` for \`kubectl ds <TAB>\`' \
'lint:DaemonSet-specific checks of manifests or the cluster'\''s DaemonSets, aware of node agents' \
'node:Every DaemonSet as one node sees it\: does it belong there, is its pod there and healthy' \
'rollout-status:kubectl'\''s rollout verdict, which nodes hold the rollout up and why, and the next step' \
'version:The tool'\''s version and, when a cluster is reachable, the server'\''s' \
'why-not-scheduled:For each node without a healthy pod\: every rule, its evidence, and the fix' \
'__complete:kubectl'\''s plugin completion protocol (what kubectl_complete-ds runs)' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'kubectl-ds help commands' commands "$@"
}
(( $+functions[_kubectl-ds__subcmd__help__subcmd____complete_commands] )) ||
_kubectl-ds__subcmd__help__subcmd____complete_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-ds help __complete commands' commands "$@"
}
(( $+functions[_kubectl-ds__subcmd__help__subcmd__completion_commands] )) ||
_kubectl-ds__subcmd__help__subcmd__completion_commands() {
    local commands; commands=(
'bash:Print the completion script for the kubectl-ds binary' \
'zsh:Print the completion script for the kubectl-ds binary' \
'fish:Print the completion script for the kubectl-ds binary' \
'powershell:Print the completion script for the kubectl-ds binary' \
'install:Install kubectl_complete-ds next to kubectl-ds, so that kubectl completes \`kubectl ds\`' \
    )
    _describe -t commands 'kubectl-ds help completion commands' commands "$@"
}
(( $+functions[_kubectl-ds__subcmd__help__subcmd__completion__subcmd__bash_commands] )) ||
_kubectl-ds__subcmd__help__subcmd__completion__subcmd__bash_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-ds help completion bash commands' commands "$@"
}
(( $+functions[_kubectl-ds__subcmd__help__subcmd__completion__subcmd__fish_commands] )) ||
_kubectl-ds__subcmd__help__subcmd__completion__subcmd__fish_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-ds help completion fish commands' commands "$@"
}
(( $+functions[_kubectl-ds__subcmd__help__subcmd__completion__subcmd__install_commands] )) ||
_kubectl-ds__subcmd__help__subcmd__completion__subcmd__install_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-ds help completion install commands' commands "$@"
}
(( $+functions[_kubectl-ds__subcmd__help__subcmd__completion__subcmd__powershell_commands] )) ||
_kubectl-ds__subcmd__help__subcmd__completion__subcmd__powershell_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-ds help completion powershell commands' commands "$@"
}
(( $+functions[_kubectl-ds__subcmd__help__subcmd__completion__subcmd__zsh_commands] )) ||
_kubectl-ds__subcmd__help__subcmd__completion__subcmd__zsh_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-ds help completion zsh commands' commands "$@"
}
(( $+functions[_kubectl-ds__subcmd__help__subcmd__explain_commands] )) ||
_kubectl-ds__subcmd__help__subcmd__explain_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-ds help explain commands' commands "$@"
}
(( $+functions[_kubectl-ds__subcmd__help__subcmd__help_commands] )) ||
_kubectl-ds__subcmd__help__subcmd__help_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-ds help help commands' commands "$@"
}
(( $+functions[_kubectl-ds__subcmd__help__subcmd__lint_commands] )) ||
_kubectl-ds__subcmd__help__subcmd__lint_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-ds help lint commands' commands "$@"
}
(( $+functions[_kubectl-ds__subcmd__help__subcmd__node_commands] )) ||
_kubectl-ds__subcmd__help__subcmd__node_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-ds help node commands' commands "$@"
}
(( $+functions[_kubectl-ds__subcmd__help__subcmd__rollout-status_commands] )) ||
_kubectl-ds__subcmd__help__subcmd__rollout-status_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-ds help rollout-status commands' commands "$@"
}
(( $+functions[_kubectl-ds__subcmd__help__subcmd__version_commands] )) ||
_kubectl-ds__subcmd__help__subcmd__version_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-ds help version commands' commands "$@"
}
(( $+functions[_kubectl-ds__subcmd__help__subcmd__why-not-scheduled_commands] )) ||
_kubectl-ds__subcmd__help__subcmd__why-not-scheduled_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-ds help why-not-scheduled commands' commands "$@"
}
(( $+functions[_kubectl-ds__subcmd__lint_commands] )) ||
_kubectl-ds__subcmd__lint_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-ds lint commands' commands "$@"
}
(( $+functions[_kubectl-ds__subcmd__node_commands] )) ||
_kubectl-ds__subcmd__node_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-ds node commands' commands "$@"
}
(( $+functions[_kubectl-ds__subcmd__rollout-status_commands] )) ||
_kubectl-ds__subcmd__rollout-status_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-ds rollout-status commands' commands "$@"
}
(( $+functions[_kubectl-ds__subcmd__version_commands] )) ||
_kubectl-ds__subcmd__version_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-ds version commands' commands "$@"
}
(( $+functions[_kubectl-ds__subcmd__why-not-scheduled_commands] )) ||
_kubectl-ds__subcmd__why-not-scheduled_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-ds why-not-scheduled commands' commands "$@"
}

if [ "$funcstack[1]" = "_kubectl-ds" ]; then
    _kubectl-ds "$@"
else
    compdef _kubectl-ds kubectl-ds
fi
