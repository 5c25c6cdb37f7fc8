// Validates every object of one or more kustomize renderings (the files given, or stdin) against the Kubernetes, KEDA
// and Prometheus Operator JSON schemas of kubernetes-models: types, required fields, enums. Exits 1 naming each
// invalid object.
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";
import * as core from "kubernetes-models/v1";
import * as apps from "kubernetes-models/apps/v1";
import * as policy from "kubernetes-models/policy/v1";
import * as networking from "kubernetes-models/networking.k8s.io/v1";
import * as autoscaling from "kubernetes-models/autoscaling/v2";
import * as keda from "@kubernetes-models/keda/keda.sh/v1alpha1";
import * as monitoring from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1";
import { scalingModifiersProblems } from "./keda-scaling-modifiers.mjs";

const models = {
  "v1": core,
  "apps/v1": apps,
  "policy/v1": policy,
  "networking.k8s.io/v1": networking,
  "autoscaling/v2": autoscaling,
  "keda.sh/v1alpha1": keda,
  "monitoring.coreos.com/v1": monitoring,
};

const files = process.argv.length > 2 ? process.argv.slice(2) : [0];
let failures = 0;
let checked = 0;
for (const file of files) {
  const where = file === 0 ? "stdin" : file;
  let fileChecked = 0;
  for (const doc of parseAllDocuments(readFileSync(file, "utf8"))) {
    const obj = doc.toJS();
    if (!obj) continue;
    const name = `${where}: ${obj.apiVersion}/${obj.kind} ${obj.metadata?.name}`;
    const Model = models[obj.apiVersion]?.[obj.kind];
    if (!Model) {
      console.error(`no schema for ${name}`);
      failures++;
      continue;
    }
    try {
      new Model(obj).validate();
      const problems = obj.kind === "ScaledObject" ? scalingModifiersProblems(obj) : [];
      if (problems.length > 0) {
        throw new Error(problems.join("; "));
      }
      checked++;
      fileChecked++;
    } catch (e) {
      console.error(`invalid ${name}: ${e.message}`);
      failures++;
    }
  }
  if (fileChecked === 0) {
    console.error(`${where}: no objects`);
    failures++;
  }
}
console.log(`${checked} objects valid, ${failures} invalid`);
process.exit(failures === 0 && checked > 0 ? 0 : 1);
