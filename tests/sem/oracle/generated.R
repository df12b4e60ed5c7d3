# lavaan reference of the "generated" specifications (inputs/generated/specs.json, groups.json; written by
# generate.py): whole parameter tables, fitMeasures, convergence and warnings in fixtures/generated/.
source(file.path(dirname(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE))), "oracle_common.R"))
run_specs("generated")
