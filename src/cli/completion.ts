/**
 * Shell completion scripts. Each asks the tool itself what may come next (yargs answers
 * `--get-yargs-completions <words…>` from the same declarations the parser uses), so completion never
 * falls behind the commands and flags.
 */
export const SHELLS = ['bash', 'zsh'] as const;
export type Shell = (typeof SHELLS)[number];

const BASH = `# elasticrtc completion for bash: add to ~/.bashrc
#   source <(elasticrtc completion bash)
_elasticrtc_complete() {
  local current="\${COMP_WORDS[COMP_CWORD]}"
  local IFS=$'\\n'
  local answers
  answers=$(SHELL=/bin/bash elasticrtc --get-yargs-completions "\${COMP_WORDS[@]:0:COMP_CWORD+1}" 2>/dev/null)
  COMPREPLY=($(compgen -W "\${answers}" -- "\${current}"))
}
complete -o bashdefault -o default -F _elasticrtc_complete elasticrtc
`;

const ZSH = `#compdef elasticrtc
# elasticrtc completion for zsh: add to ~/.zshrc
#   source <(elasticrtc completion zsh)
_elasticrtc() {
  local -a answers
  answers=("\${(@f)$(SHELL=/bin/zsh elasticrtc --get-yargs-completions "\${words[@]:0:CURRENT}" 2>/dev/null)}")
  if (( \${#answers} > 0 )) && [[ -n "\${answers[1]}" ]]; then
    _describe 'elasticrtc' answers
  else
    _default
  fi
}
compdef _elasticrtc elasticrtc
`;

/** The completion script of a shell. */
export const completionScript = (shell: Shell): string => (shell === 'zsh' ? ZSH : BASH);
