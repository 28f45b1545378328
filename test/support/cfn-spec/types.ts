/** One thing wrong with a template, found by {@link checkTemplate}. */
export interface SpecProblem {
  /** Where, as dotted keys with `[i]` for list items, e.g. `Resources.NodeGroup.Properties.LaunchTemplate.Version`. */
  path: string;
  message: string;
}

/** The names a template declares, which references must point at. */
export interface TemplateNames {
  parameters: ReadonlySet<string>;
  /** Logical ID → resource type (undefined when the resource has no string `Type`). */
  resources: ReadonlyMap<string, string | undefined>;
  conditions: ReadonlySet<string>;
  mappings: ReadonlySet<string>;
}
