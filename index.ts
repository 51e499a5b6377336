// The Pulumi program: config → settings → catalogue → containers. See stack/program.ts.
import { buildStack } from "./stack/program";

export = buildStack();
