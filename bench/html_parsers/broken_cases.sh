#!/bin/sh
# broken_cases.sh OUTDIR — writes small broken-HTML inputs used by run.sh.
d=$1
mkdir -p "$d"
printf '<html><body><p>one<p>two<div>three</p></div><b>bold <i>both</b> italic</i> tail' > "$d/misnested.html"
printf '<p>unterminated <a href="#x>quote</a> text after</p><p>next</p>' > "$d/badquote.html"
printf '<table><tr><td>cell<p>para in cell<tr><td>row2</table>stray</td></tr>' > "$d/table.html"
printf '<p>entities &amp; &rsquo;&#8217;&nbsp;&bogus; &lt;x&gt; done</p>' > "$d/entities.html"
printf '<p>caf\351 \223quoted\224 \226 dash</p>' > "$d/cp1252.html"
printf '<ix:header><ix:hidden>hidden</ix:hidden></ix:header><p>visible</p>' > "$d/ixbrl.html"
python3 -c "print('<html><body>'+'<div>'*200000+'deep'+'</div>'*200000)" > "$d/deep200k.html"
python3 -c "print('<html><body>'+'<font>x'*20000)" > "$d/unclosed_font20k.html"
