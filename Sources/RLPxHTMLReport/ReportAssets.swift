// SPDX-License-Identifier: Apache-2.0

/// The report's style and script, inlined: the file needs nothing from the network.
enum ReportAssets {
    static let style = """
        :root{--breach:#c62828;--nonstrict:#ef6c00;--info:#1565c0;--line:#555;--muted:#777;font-family:system-ui,-apple-system,"Segoe UI",sans-serif}
        body{margin:0 auto;max-width:1100px;padding:16px;color:#222;background:#fff}
        h1{font-size:1.5em;margin:.2em 0}h2{font-size:1.2em;margin-top:1.6em;border-bottom:1px solid #ddd}h3{font-size:1.05em}
        table{border-collapse:collapse;margin:.5em 0;font-size:.9em}td,th{border:1px solid #ddd;padding:2px 8px;text-align:left;vertical-align:top}
        th{background:#f4f4f4}td.n{text-align:right;font-variant-numeric:tabular-nums}
        code,pre{font-family:ui-monospace,"DejaVu Sans Mono",monospace;font-size:.85em}
        pre{background:#f7f7f7;padding:6px;overflow:auto;max-height:22em;white-space:pre-wrap;word-break:break-all}
        .badge{display:inline-block;padding:0 6px;border-radius:8px;color:#fff;font-size:.8em}
        .sev-breach .badge,.badge.sev-breach{background:var(--breach)}.sev-non-strict .badge,.badge.sev-non-strict{background:var(--nonstrict)}
        .sev-informational .badge,.badge.sev-informational{background:var(--info)}
        circle.sev-breach{fill:var(--breach)}circle.sev-non-strict{fill:var(--nonstrict)}circle.sev-informational{fill:var(--info)}
        .verdict{font-weight:bold;padding:0 6px;border-radius:4px;color:#fff}.v-OK{background:#2e7d32}.v-FAILED{background:var(--breach)}
        .v-NON-STRICT{background:var(--nonstrict)}.v-INFORMATIONAL{background:var(--info)}.v-UNSUPPORTED{background:#777}
        svg.ladder{display:block;font-size:12px}svg.ladder text{font-family:inherit}
        .lifeline{stroke:#999;stroke-width:1.5}.arrow{stroke:var(--line);stroke-width:1.3;fill:none}.head{fill:var(--line)}
        .kind-fault .arrow{stroke:var(--breach);stroke-dasharray:4 3}.kind-fault .head{fill:var(--breach)}
        .kind-handshake .arrow{stroke:#6a1b9a}.kind-handshake .head{fill:#6a1b9a}.bar{stroke:#888;stroke-dasharray:6 4}
        .gap{stroke:#bbb;fill:none}.gaptext{fill:var(--muted);font-style:italic}.time{fill:var(--muted);font-variant-numeric:tabular-nums}
        .summary-text{fill:var(--muted);font-size:11px}.hit{fill:transparent;cursor:pointer}
        .step.selected .hit{fill:#fff59d;fill-opacity:.5}.step.dim{opacity:.15}.sev-breach .arrow{stroke:var(--breach)}
        ol.findings{font-size:.9em;padding-left:1.5em}ol.findings li{margin:2px 0}li.finding[hidden]{display:none}
        #filters{position:sticky;top:0;background:#fafafa;border:1px solid #ddd;padding:6px;z-index:2;font-size:.9em}
        #filters label{margin-right:10px}#detail{position:fixed;right:12px;bottom:12px;width:46%;max-height:70vh;overflow:auto;
        background:#fff;border:1px solid #888;box-shadow:0 2px 12px rgba(0,0,0,.3);padding:8px;z-index:3}
        .note{background:#fff8e1;border-left:4px solid #ffb300;padding:6px 10px}.timeline rect{fill:#5c6bc0}
        #script-errors:empty{display:none}#script-errors{color:var(--breach)}
        """

    /// Collects script errors into `#script-errors` (before anything else runs, so even a failing report says why).
    static let errorTrap = """
        window.reportErrors=[];window.addEventListener('error',function(e){window.reportErrors.push(String(e.message));\
        var p=document.getElementById('script-errors');if(p){p.textContent=window.reportErrors.join('\\n');}});
        """

    /// Clicking a step opens its detail; the filters dim steps and hide findings; `#report-status` says `ready`
    /// once all of it ran without an error, and the body's `data-ready-ms` how long after navigation that was.
    static let script = """
        (function(){
        var data=JSON.parse(document.getElementById('step-data').textContent);
        var panel=document.getElementById('detail');
        function show(k){var d=data[k];if(!d){return;}panel.hidden=false;
        document.getElementById('detail-title').textContent=d.title;
        document.getElementById('detail-tree').textContent=d.tree||'(no decoded fields)';
        document.getElementById('detail-hex').textContent=d.hex||'(no bytes)';
        var list=document.getElementById('detail-findings');list.textContent='';
        (d.findings||[]).forEach(function(f){var entry=document.getElementById('f-'+f);if(entry){var li=document.createElement('li');
        li.innerHTML=entry.innerHTML;li.className=entry.className;list.appendChild(li);}});
        var prev=document.querySelector('.step.selected');if(prev){prev.classList.remove('selected');}
        var el=document.getElementById('s-'+k);if(el){el.classList.add('selected');}}
        document.addEventListener('click',function(e){var t=e.target;if(!t.closest||t.closest('a')){return;}
        var g=t.closest('.step');if(g){show(Number(g.getAttribute('data-k')));}});
        document.getElementById('detail-close').addEventListener('click',function(){panel.hidden=true;});
        var ids=['rule','severity','side','protocol','name'];
        function has(list,value){return (' '+(list||'')+' ').indexOf(' '+value+' ')>=0;}
        function apply(){var v={};ids.forEach(function(i){v[i]=document.getElementById('flt-'+i).value;});var shown=0;
        document.querySelectorAll('.step').forEach(function(g){
        var ok=(!v.side||g.getAttribute('data-side')===v.side)&&(!v.protocol||g.getAttribute('data-proto')===v.protocol)
        &&(!v.name||g.getAttribute('data-name')===v.name)&&(!v.rule||has(g.getAttribute('data-rules'),v.rule))
        &&(!v.severity||has(g.getAttribute('data-sevs'),v.severity));g.classList.toggle('dim',!ok);if(ok){shown++;}});
        document.querySelectorAll('li.finding').forEach(function(li){li.hidden=!((!v.rule||li.getAttribute('data-rule')===v.rule)
        &&(!v.severity||li.getAttribute('data-sev')===v.severity)&&(!v.side||li.getAttribute('data-side')===v.side));});
        document.getElementById('flt-count').textContent=shown+' drawn steps match';}
        ids.forEach(function(i){document.getElementById('flt-'+i).addEventListener('change',apply);});
        document.getElementById('flt-reset').addEventListener('click',function(){ids.forEach(function(i){
        document.getElementById('flt-'+i).value='';});apply();});
        // Nothing is filtered yet: count the steps without touching each one (a large page opens faster).
        document.getElementById('flt-count').textContent=document.querySelectorAll('.step').length+' drawn steps';
        if(window.reportErrors.length===0){document.getElementById('report-status').textContent='ready';
        document.body.setAttribute('data-ready','1');
        document.body.setAttribute('data-ready-ms',String(Math.round(window.performance?performance.now():0)));}
        })();
        """
}
