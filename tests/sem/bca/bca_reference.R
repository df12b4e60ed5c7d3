# Reference figures of the BCa bootstrap interval (nero.sem.bootstrap.bca_interval) from R's boot
# package: boot::boot.ci(type = "bca") given t0, the draws t and the jackknife influence values L.
#
# Run from the repository root (after tests/sem/bca/export_inputs.py, which writes the shipped
# mediation's design and its draws into tests/sem/bca/inputs/):
#     Rscript tests/sem/bca/bca_reference.R [OUTDIR]      (default tests/sem/bca/fixtures)
# Writes OUTDIR/bca.json with every case: inputs, z0, acceleration, BCa limits, or R's error.
# Needs R with the packages boot and jsonlite (Debian: r-cran-boot r-cran-jsonlite).
suppressPackageStartupMessages({ library(boot); library(jsonlite) })
args <- commandArgs(trailingOnly = TRUE)
here <- local({
  f <- sub("^--file=", "", grep("^--file=", commandArgs(FALSE), value = TRUE))
  dirname(normalizePath(f))
})
outdir <- if (length(args)) args[1] else file.path(here, "fixtures")
dir.create(outdir, showWarnings = FALSE, recursive = TRUE)

# A boot object holding given draws (boot.ci needs one; L is passed, so data and statistic are unused).
as_boot <- function(t0, t, n) {
  structure(list(t0 = t0, t = matrix(t, ncol = 1), R = length(t), data = seq_len(n),
                 statistic = function(d, i) NA, sim = "ordinary", stype = "i",
                 strata = rep(1, n), weights = rep(1 / n, n), call = quote(boot())),
            class = "boot")
}

bca_case <- function(name, t0, t, L, conf, extra = list(), keep_t = TRUE) {
  w <- qnorm(sum(t < t0) / length(t))
  a <- sum(L^3) / (6 * sum(L^2)^1.5)
  res <- tryCatch({
    ci <- suppressWarnings(boot.ci(as_boot(t0, t, length(L)), conf = conf, type = "bca", L = L))
    if (is.null(ci)) list(error = "boot.ci returned NULL (all values of t are equal)")
    else list(lower = ci$bca[1, 4], upper = ci$bca[1, 5])
  }, error = function(e) list(error = conditionMessage(e)))
  c(list(name = name, conf = conf, t0 = t0, t = if (keep_t) t else NULL, L = L, z0 = w, a = a), res, extra)
}

cases <- list()

# The jackknife influence values of Efron & Tibshirani (1993, eq. 14.15), L_i = (n - 1)(mean(t_(.)) - t_(i)),
# as the library computes them. boot's own empinf(type = "jack") centres at t0 instead of mean(t_(.));
# the two agree for the mean (kept as L_empinf to show it) and differ by a constant otherwise.
jack_L <- function(x, stat) {
  tj <- vapply(seq_along(x), function(i) stat(x[-i]), numeric(1))
  (length(x) - 1) * (mean(tj) - tj)
}
mean_stat <- function(v) mean(v)
var_stat <- function(v) mean((v - mean(v))^2)

# 1. Hand cases: 12 skewed values, resamples drawn by boot; the library recomputes L from the data.
set.seed(20251207)
x <- c(0.3, 0.5, 0.8, 1.1, 1.2, 1.9, 2.4, 2.8, 3.6, 5.5, 7.9, 14.2)
b <- boot(x, function(d, i) mean_stat(d[i]), R = 1999)
for (conf in c(0.90, 0.95, 0.99)) {
  cases[[length(cases) + 1]] <- bca_case(sprintf("mean_of_12_conf%g", conf), b$t0, as.vector(b$t), jack_L(x, mean_stat),
                                         conf, list(data = x, L_empinf = empinf(b, type = "jack")))
}
# the plug-in variance (a statistic with skewed influence) on the same data, its own resamples
bv <- boot(x, function(d, i) var_stat(d[i]), R = 999)
cases[[length(cases) + 1]] <- bca_case("plugin_variance_of_12", bv$t0, as.vector(bv$t), jack_L(x, var_stat),
                                       0.95, list(data = x))
# n = 2: the jackknife of the mean of two values (L = +-(x1 - x2)/2, a = 0)
b2 <- boot(c(1, 4), function(d, i) mean_stat(d[i]), R = 99)
cases[[length(cases) + 1]] <- bca_case("mean_of_2", b2$t0, as.vector(b2$t), jack_L(c(1, 4), mean_stat), 0.95,
                                       list(data = c(1, 4)))
# edges where boot.ci gives no interval: every draw above t0 (w infinite), no influence (a NA),
# every draw equal
cases[[length(cases) + 1]] <- bca_case("all_draws_above", 0, c(1, 2, 3, 4, 5), c(-1, 0, 1), 0.95)
cases[[length(cases) + 1]] <- bca_case("no_influence", 3, c(1, 2, 3, 4, 5, 6), c(0, 0, 0), 0.95)
cases[[length(cases) + 1]] <- bca_case("all_draws_equal", 2, rep(2, 10), c(-1, 0, 1), 0.95)

# 2. The shipped mediation (PROCESS model 4, X = AMB, M = CAP, Y = SCO with covariates): t0 and the
#    jackknife refitted here with lm (case by case), t the library's seeded draws.
inp <- file.path(here, "inputs")
if (file.exists(file.path(inp, "mediation.json"))) {
  meta <- fromJSON(file.path(inp, "mediation.json"))
  d <- read.csv(file.path(inp, "mediation_frame.csv"))
  t <- read.csv(file.path(inp, "mediation_draws.csv"))$t
  fa <- reformulate(c(meta$x, meta$covariates), meta$m)
  fy <- reformulate(c(meta$x, meta$m, meta$covariates), meta$y)
  ab <- function(dd) coef(lm(fa, dd))[[meta$x]] * coef(lm(fy, dd))[[meta$m]]
  t0 <- ab(d)
  tj <- vapply(seq_len(nrow(d)), function(i) ab(d[-i, ]), numeric(1))
  L <- (nrow(d) - 1) * (mean(tj) - tj)
  cases[[length(cases) + 1]] <- bca_case("shipped_mediation", t0, t, L, meta$conf,
                                         list(seed = meta$seed, n_boot = meta$n_boot, jackknife = tj, t_sum = sum(t)),
                                         keep_t = FALSE)
}

# every number with 17 significant digits (jsonlite stops at 15), a non-finite one as null
exact <- function(v) {
  s <- ifelse(is.finite(v), sprintf("%.17g", v), "null")
  structure(if (length(v) == 1) s else paste0("[", paste(s, collapse = ","), "]"), class = "json")
}
cases <- lapply(cases, function(cs) lapply(cs, function(v) if (is.numeric(v)) exact(v) else v))
out <- list(boot = as.character(packageVersion("boot")), R = R.version.string, cases = cases)
writeLines(toJSON(out, auto_unbox = TRUE, json_verbatim = TRUE, pretty = FALSE), file.path(outdir, "bca.json"))
cat("wrote", file.path(outdir, "bca.json"), "with", length(cases), "cases\n")
