# lavaan reference of the "examples" specifications (inputs/examples/specs.json, groups.json; written by
# generate.py): whole parameter tables, fitMeasures, convergence and warnings in fixtures/examples/.
source(file.path(dirname(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE))), "oracle_common.R"))
run_specs("examples")
