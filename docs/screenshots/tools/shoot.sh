#!/bin/bash
# usage: shoot.sh RESULTS_DIR OUT_DIR LABEL
set -u
R=$1; O=$2; L=$3; mkdir -p $O/tmp
for n in 18 31 48; do
  f=$(ls $R/tables/table_${n}_*.tex | head -1); d=$(ls $R/tables/table_${n}_*.docx | head -1)
  base=$(basename ${f%.tex})
  # LaTeX: one article with the packages the table asks for (or a plain preamble before they were listed)
  needs=$(sed -n '1s/^% Needs: \\usepackage{\([^}]*\)}.*/\1/p' $f)
  [ -z "$needs" ] && needs="booktabs,longtable"
  printf '\\documentclass{article}\\usepackage[T1]{fontenc}\\usepackage{%s}\n\\begin{document}\n\\input{%s}\n\\end{document}\n' "$needs" "$f" > $O/tmp/$base.tex
  (cd $O/tmp && pdflatex -interaction=nonstopmode -halt-on-error $base.tex > /dev/null 2>&1; echo "pdflatex exit $?" > $base.latex-status; grep -E "^!|Overfull" $base.log | head -5 >> $base.latex-status)
  [ -f $O/tmp/$base.pdf ] && pdftoppm -r 70 -png -f 1 -l 1 $O/tmp/$base.pdf $O/${L}_table${n}_latex
  soffice --headless --convert-to pdf --outdir $O/tmp $d > /dev/null 2>&1
  pdftoppm -r 70 -png -f 1 -l 1 $O/tmp/$(basename ${d%.docx}).pdf $O/${L}_table${n}_word
done
