# semTools reference of the reliability and discriminant-validity figures on Holzinger-Swineford
# (lavaan's copy, inputs/examples/): Cronbach's alpha (compRelSEM with tau.eq = TRUE, obs.var = TRUE),
# HTMT and HTMT2 (Henseler et al. 2015; Roemer et al. 2021). Output: fixtures/semtools/.
source(file.path(dirname(sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE))), "oracle_common.R"))
suppressPackageStartupMessages(library(semTools))
here <- oracle_dir()
out <- file.path(here, "fixtures", "semtools")
dir.create(out, recursive = TRUE, showWarnings = FALSE)
hs <- read.csv(file.path(here, "inputs", "examples", "holzinger_swineford.csv"))
model <- "visual =~ x1 + x2 + x3\ntextual =~ x4 + x5 + x6\nspeed =~ x7 + x8 + x9\n"
fit <- cfa(model, data = hs)
alpha <- compRelSEM(fit, tau.eq = TRUE, obs.var = TRUE)
h1 <- htmt(model, hs, htmt2 = FALSE)
h2 <- htmt(model, hs, htmt2 = TRUE)
as_list <- function(m) lapply(seq_len(nrow(m)), function(i) as.numeric(m[i, ]))
writeLines(toJSON(list(semTools = as.character(packageVersion("semTools")), factors = rownames(h1),
                       alpha = as.list(alpha), htmt = as_list(h1), htmt2 = as_list(h2)),
                  auto_unbox = TRUE, digits = I(15), pretty = TRUE),
           file.path(out, "reliability.json"))
writeLines(paste(capture.output(sessionInfo()), collapse = "\n"), file.path(out, "sessionInfo.txt"))
cat("semtools: written to", out, "\n")
