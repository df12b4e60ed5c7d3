# lavaan reference of the "study" specifications (inputs/study/specs.json, groups.json; written by
# generate.py): whole parameter tables, fitMeasures, convergence and warnings in fixtures/study/.
source(file.path(dirname(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE))), "oracle_common.R"))
run_specs("study")
