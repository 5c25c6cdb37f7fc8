// Checks a ScaledObject's spec.advanced.scalingModifiers the way KEDA would, since the KEDA schema of
// @kubernetes-models/keda@0.4.2 predates scalingModifiers (KEDA 2.12) and lets any field through under `advanced`.
// Source of the rules: KEDA's ScaledObject specification (keda.sh/docs/2.17/reference/scaledobject-spec,
// "scalingModifiers": fields formula, target, activationTarget, metricType; formula and target mandatory; metricType
// AverageValue or Value) and its admission webhook (apis/keda/v1alpha1/scaledobject_webhook.go,
// ValidateAndCompileScalingModifiers: target a number above 0; the formula compiled with the named triggers as its only
// variables, so a name no trigger has is refused as "unknown name").

const FIELDS = new Set(["formula", "target", "activationTarget", "metricType"]);
const METRIC_TYPES = new Set(["AverageValue", "Value"]);
// words of the expr language (expr-lang.org, Language Definition) that are not variables
const EXPR_WORDS = new Set(["true", "false", "nil", "and", "or", "not", "in", "matches", "contains", "startsWith",
  "endsWith", "let", "if", "else"]);

/**
 * @param {object} scaledObject a keda.sh/v1alpha1 ScaledObject as parsed from YAML
 * @returns {string[]} what KEDA would refuse in its scalingModifiers, one line each (empty when it has none or they are valid)
 */
export function scalingModifiersProblems(scaledObject) {
  const modifiers = scaledObject?.spec?.advanced?.scalingModifiers;
  if (modifiers === undefined) return [];
  if (modifiers === null || typeof modifiers !== "object" || Array.isArray(modifiers)) {
    return ["spec.advanced.scalingModifiers must be an object"];
  }
  const problems = [];
  for (const field of Object.keys(modifiers)) {
    if (!FIELDS.has(field)) problems.push(`spec.advanced.scalingModifiers.${field}: unknown field`);
  }
  for (const field of ["formula", "target"]) {
    if (typeof modifiers[field] !== "string" || modifiers[field].trim() === "") {
      problems.push(`spec.advanced.scalingModifiers.${field}: mandatory (a non-empty string)`);
    }
  }
  for (const field of ["target", "activationTarget"]) {
    const value = modifiers[field];
    if (value === undefined) continue;
    if (typeof value !== "string" || !/^\s*[0-9]+(\.[0-9]+)?\s*$/.test(value)
        || (field === "target" && Number(value) <= 0)) {
      problems.push(`spec.advanced.scalingModifiers.${field}: ${JSON.stringify(value)} is not a number in a string`
        + (field === "target" ? " above 0" : ""));
    }
  }
  if (modifiers.metricType !== undefined && !METRIC_TYPES.has(modifiers.metricType)) {
    problems.push(`spec.advanced.scalingModifiers.metricType: ${JSON.stringify(modifiers.metricType)} is not AverageValue or Value`);
  }
  if (typeof modifiers.formula === "string") {
    const names = new Set((scaledObject.spec.triggers ?? []).map((t) => t?.name).filter((n) => typeof n === "string"));
    // identifiers outside string literals; a word followed by "(" is a function, one after "." a member
    const code = modifiers.formula.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, "\"\"");
    for (const m of code.matchAll(/(?<![\w.#])([A-Za-z_]\w*)\b(?!\s*\()/g)) {
      const word = m[1];
      if (!EXPR_WORDS.has(word) && !names.has(word)) {
        problems.push(`spec.advanced.scalingModifiers.formula: unknown name ${word} (no trigger has this name)`);
      }
    }
  }
  return problems;
}
