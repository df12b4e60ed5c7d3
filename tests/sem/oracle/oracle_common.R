# Shared code of the lavaan oracle scripts (sourced by each; see README.md).
# For every fit of a specification list it writes the whole parameter table
# (parameterEstimates with std.all) as CSV and every fitMeasures value, the
# convergence status and the warnings as JSON, plus sessionInfo().
suppressPackageStartupMessages({
  library(lavaan)
  library(jsonlite)
})

oracle_dir <- function() {
  args <- commandArgs(trailingOnly = FALSE)
  file <- sub("^--file=", "", args[grep("^--file=", args)])
  normalizePath(dirname(file))
}

capture_fit <- function(expr) {
  warns <- character(0)
  value <- withCallingHandlers(
    tryCatch(expr, error = function(e) e),
    warning = function(w) {
      warns <<- c(warns, conditionMessage(w))
      invokeRestart("muffleWarning")
    })
  list(value = value, warnings = warns)
}

fit_measures <- function(fit) {
  fm <- tryCatch(fitMeasures(fit), error = function(e) NULL)
  if (is.null(fm)) return(list())
  as.list(setNames(as.numeric(fm), names(fm)))
}

lavaan_call <- function(spec, data) {
  sem(model = spec$model, data = data, estimator = spec$estimator,
      missing = if (spec$missing == "fiml") "ml" else "listwise",
      control = list(iter.max = spec$max_iter))
}

run_specs <- function(name) {
  here <- oracle_dir()
  input <- file.path(here, "inputs", name)
  out <- file.path(here, "fixtures", name)
  dir.create(out, recursive = TRUE, showWarnings = FALSE)
  result <- list()
  specs <- if (file.exists(file.path(input, "specs.json")))
    fromJSON(file.path(input, "specs.json"), simplifyVector = FALSE) else list()
  for (spec in specs) {
    data <- read.csv(file.path(input, spec$data))
    run <- capture_fit(lavaan_call(spec, data))
    fit <- run$value
    entry <- list(name = spec$name, estimator = spec$estimator, missing = spec$missing,
                  warnings = run$warnings)
    if (inherits(fit, "error")) {
      entry$error <- conditionMessage(fit)
    } else {
      entry$converged <- lavInspect(fit, "converged")
      entry$iterations <- lavInspect(fit, "iterations")
      entry$nobs <- lavInspect(fit, "nobs")
      entry$fit <- fit_measures(fit)
      pe <- parameterEstimates(fit, standardized = TRUE, ci = FALSE)
      write.csv(pe[, intersect(c("lhs", "op", "rhs", "label", "est", "se", "std.all"), names(pe))],
                file.path(out, paste0(spec$name, ".csv")), row.names = FALSE)
    }
    result[[spec$name]] <- entry
  }
  groups <- if (file.exists(file.path(input, "groups.json")))
    fromJSON(file.path(input, "groups.json"), simplifyVector = FALSE) else list()
  equal <- list(configural = "", metric = "loadings", scalar = c("loadings", "intercepts"),
                strict = c("loadings", "intercepts", "residuals"))
  for (spec in groups) {
    data <- read.csv(file.path(input, spec$data))
    for (level in unlist(spec$levels)) {
      run <- capture_fit(cfa(spec$model, data = data, group = spec$group, group.equal = equal[[level]],
                             missing = if (spec$missing == "fiml") "ml" else "listwise"))
      fit <- run$value
      key <- paste0(spec$name, "_", level)
      entry <- list(name = key, level = level, warnings = run$warnings)
      if (inherits(fit, "error")) {
        entry$error <- conditionMessage(fit)
      } else {
        entry$converged <- lavInspect(fit, "converged")
        entry$nobs <- lavInspect(fit, "nobs")
        entry$fit <- fit_measures(fit)
      }
      result[[key]] <- entry
    }
  }
  session <- paste(capture.output(sessionInfo()), collapse = "\n")
  writeLines(toJSON(list(reference = name, lavaan = as.character(packageVersion("lavaan")),
                         fits = result), auto_unbox = TRUE, digits = I(15), pretty = TRUE, null = "null",
                    na = "null"),
             file.path(out, "fits.json"))
  writeLines(session, file.path(out, "sessionInfo.txt"))
  cat(sprintf("%s: %d fits written to %s\n", name, length(result), out))
}
