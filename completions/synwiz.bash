# bash completion for synwiz: commands, subcommands, flags, and the names of saved
# connections and Azure ML linked services. Installed by `cmake --install` as
# share/bash-completion/completions/synwiz (bash-completion loads it on first use; without
# bash-completion, `source` this file from ~/.bashrc).
#
# Names come from synwiz itself (`connection list --output json`, `linked-service list
# --workspace WS --output json`), run with the --cloud and --store of the line being
# completed, so that completion shows what that command would see under the store's roles.

# Print the values of KEY in the list elements of the JSON synwiz prints with a two-space
# indent, at INDENT spaces: 4 in `connection list`'s array, 6 in `linked-service list`'s
# {"value": [...]} (the keys of nested objects are indented more).
_synwiz_json_names() { # _synwiz_json_names KEY INDENT
  sed -n "s/^ \\{$2\\}\"$1\": \"\\(.*\\)\",\\{0,1\\}\$/\\1/p"
}

_synwiz() {
  local cur prev words cword
  cur=${COMP_WORDS[COMP_CWORD]}
  prev=${COMP_WORDS[COMP_CWORD - 1]}
  words=("${COMP_WORDS[@]}")
  cword=$COMP_CWORD

  local commands="connection linked-service resume doctor role login logout account rest sandbox export refresh schedule forms help"
  local globals="--cloud --store --log-file --verbose --help --version"
  local wizard="--answers --non-interactive --record --dry-run --help"

  # The global options before the command, kept for the name look-ups.
  local -a glob=()
  local i=1 cmd="" sub="" workspace=""
  while [ $i -lt $cword ]; do
    case ${words[i]} in
    --cloud | --store | --log-file)
      glob+=("${words[i]}" "${words[i + 1]}")
      i=$((i + 2))
      continue
      ;;
    -*) ;;
    *)
      if [ -z "$cmd" ]; then
        cmd=${words[i]}
      elif [ -z "$sub" ]; then
        sub=${words[i]}
      fi
      ;;
    esac
    [ "${words[i]}" = --workspace ] && workspace=${words[i + 1]}
    i=$((i + 1))
  done

  local synwiz=${words[0]}
  case $prev in
  --cloud)
    # a built-in cloud's name, or a profile file
    mapfile -t COMPREPLY < <(compgen -W "AzureCloud AzureChinaCloud AzureUSGovernment sandbox" -- "$cur"; compgen -f -- "$cur")
    return
    ;;
  --store | --dir)
    mapfile -t COMPREPLY < <(compgen -d -- "$cur")
    return
    ;;
  --log-file | --answers | --record | --body | --upload | --download | --certificate)
    mapfile -t COMPREPLY < <(compgen -f -- "$cur")
    return
    ;;
  --output | -o)
    mapfile -t COMPREPLY < <(compgen -W "json table" -- "$cur")
    return
    ;;
  --workspace | -w)
    mapfile -t COMPREPLY < <(compgen -W "$("$synwiz" "${glob[@]}" connection list --output json 2>/dev/null | _synwiz_json_names display_name 4)" -- "$cur")
    return
    ;;
  --method | -m)
    mapfile -t COMPREPLY < <(compgen -W "get put post patch delete head" -- "$cur")
    return
    ;;
  --ports)
    mapfile -t COMPREPLY < <(compgen -W "auto" -- "$cur")
    return
    ;;
  esac

  if [ -z "$cmd" ]; then
    case $cur in
    -*) mapfile -t COMPREPLY < <(compgen -W "$globals" -- "$cur") ;;
    *) mapfile -t COMPREPLY < <(compgen -W "$commands" -- "$cur") ;;
    esac
    return
  fi

  local subs="" flags="--help" names=""
  case $cmd in
  connection)
    subs="new edit list show remove"
    case $sub in
    new) flags=$wizard ;;
    edit) flags=$wizard names=connections ;;
    list) flags="--output --help" ;;
    show) flags="--output --help" names=connections ;;
    remove) flags="--remove-dependents --detach-dependents --yes --help" names=connections ;;
    esac
    ;;
  linked-service)
    subs="new edit list show remove"
    case $sub in
    new) flags=$wizard ;;
    edit) flags="--workspace $wizard" names=linked-services ;;
    list) flags="--workspace --output --help" ;;
    show) flags="--workspace --output --help" names=linked-services ;;
    remove) flags="--workspace --dry-run --yes --help" names=linked-services ;;
    esac
    ;;
  doctor)
    flags="--fix --wait --dry-run --output --help" names=connections sub=-
    ;;
  role)
    subs="list add remove"
    case $sub in
    list) flags="--output --help" ;;
    add) flags="--name --help" ;;
    esac
    ;;
  login)
    flags="--tenant --client-id --service-principal --certificate --managed-identity --use-device-code --help"
    sub=-
    ;;
  account)
    subs="show"
    flags="--output --help"
    ;;
  rest)
    flags="--method --url --body --scope --all --header --dry-run --wait --upload --download --shared-key --help"
    sub=-
    ;;
  sandbox)
    subs="start stop status reset env state secrets approve decline fault"
    case $sub in
    start) flags="--dir --ports --foreground --no-login --help" ;;
    fault) flags="--dir --route --status --retry-after --reset --delay-ms --fail-operation --count --clear --help" ;;
    secrets) flags="--dir --values --help" ;;
    *) flags="--dir --help" ;;
    esac
    ;;
  export)
    subs="new edit list show run schedule remove"
    case $sub in
    new) flags=$wizard ;;
    edit) flags=$wizard names=exports ;;
    list) flags="--output --help" ;;
    show) flags="--output --help" names=exports ;;
    run) flags="--all --partition-bytes --help" names=exports ;;
    schedule) flags="--daily --every --off --help" names=exports ;;
    remove) flags="--yes --help" names=exports ;;
    esac
    ;;
  refresh)
    flags="--due --help"
    sub=-
    ;;
  schedule)
    subs="install remove"
    ;;
  forms)
    subs="check"
    [ "$sub" = check ] && { mapfile -t COMPREPLY < <(compgen -f -- "$cur"); }
    ;;
  resume | logout | help)
    sub=-
    ;;
  esac

  if [ -z "$sub" ] && [ -n "$subs" ] && [[ $cur != -* ]]; then
    mapfile -t COMPREPLY < <(compgen -W "$subs" -- "$cur")
    return
  fi
  if [[ $cur == -* ]]; then
    mapfile -t COMPREPLY < <(compgen -W "$flags" -- "$cur")
    return
  fi
  case $names in
  connections)
    mapfile -t COMPREPLY < <(compgen -W "$("$synwiz" "${glob[@]}" connection list --output json 2>/dev/null | _synwiz_json_names display_name 4)" -- "$cur")
    ;;
  exports)
    mapfile -t COMPREPLY < <(compgen -W "$("$synwiz" "${glob[@]}" export list --output json 2>/dev/null | _synwiz_json_names display_name 4)" -- "$cur")
    ;;
  linked-services)
    # A linked service's name is unique only in its workspace: it needs --workspace first.
    [ -n "$workspace" ] &&
      mapfile -t COMPREPLY < <(compgen -W "$("$synwiz" "${glob[@]}" linked-service list --workspace "$workspace" --output json 2>/dev/null | _synwiz_json_names name 6)" -- "$cur")
    ;;
  esac
}

complete -F _synwiz synwiz
