import type { BooleanOption, StringOption } from '../../cli/options.js';
import { SETTINGS, type SettingCommand, type SettingDeclaration } from '../../cluster/setting-table.js';

type Table = typeof SETTINGS;
/** The settings whose flag a command takes. */
type TakenBy<C extends SettingCommand> = { [K in keyof Table as C extends Table[K]['commands'][number] ? K : never]: Table[K]['type'] extends 'boolean' ? BooleanOption : StringOption };

/** How help shows a setting's default on create; update leaves a setting as it is, so it shows none. */
function helpText(d: SettingDeclaration, command: SettingCommand): string {
  if (command === 'update') return `${d.describeUpdate ?? d.describe} [unchanged when not given]`;
  const shown = d.default ?? d.defaultText;
  return shown === undefined || (d.type === 'boolean' && shown === 'false') ? d.describe : `${d.describe} [default: ${shown}]`;
}

/** The flags of the settings a command takes, from the one table of settings (`cluster/setting-table.ts`). */
export function settingOptions<C extends SettingCommand>(command: C): TakenBy<C> {
  const entries = Object.entries(SETTINGS as Record<string, SettingDeclaration>)
    .filter(([, d]) => d.commands.includes(command))
    .map(([name, d]) => {
      const common = { describe: helpText(d, command), ...(d.alias ? { alias: d.alias } : {}) };
      const option: StringOption | BooleanOption =
        d.type === 'boolean' ? { type: 'boolean', ...common, ...(d.acceptsValue ? { acceptsValue: true } : {}) } : { type: 'string', ...common, ...(d.placeholder ? { placeholder: d.placeholder } : {}) };
      return [name, option];
    });
  return Object.fromEntries(entries) as TakenBy<C>;
}
