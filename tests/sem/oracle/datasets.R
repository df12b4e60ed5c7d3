# The two example data sets, written from lavaan's own copies (Holzinger & Swineford 1939;
# Bollen 1989): the inputs of examples.R and the fixtures of the Python tests.
source(file.path(dirname(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE))), "oracle_common.R"))
out <- file.path(oracle_dir(), "inputs", "examples")
dir.create(out, recursive = TRUE, showWarnings = FALSE)
write.csv(HolzingerSwineford1939, file.path(out, "holzinger_swineford.csv"), row.names = FALSE, na = "NA")
write.csv(PoliticalDemocracy, file.path(out, "political_democracy.csv"), row.names = FALSE)
writeLines(paste(capture.output(sessionInfo()), collapse = "\n"), file.path(out, "sessionInfo.txt"))
