// The report's inline style sheet.

enum ReportStyle {
    static let css = """
    body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1d2433;background:#f5f6f8;font-size:14px}
    header{background:#1d2433;color:#fff;padding:16px 28px 12px}header h1{margin:0;font-size:22px}.sub{margin:4px 0 10px;color:#b8c0d0;font-size:13px}
    header .kpis{display:flex;flex-wrap:wrap;gap:10px}header .kpi{min-width:110px;padding:6px 12px;border:1px solid #3a4358;border-radius:6px}
    .kpi .v{font-size:20px;font-weight:600}.kpi .l{font-size:12px;color:#b8c0d0}
    nav{margin-top:10px}nav a{color:#cfe0ff;margin-right:16px;font-size:13px}
    section{background:#fff;margin:16px 28px;padding:14px 22px;border-radius:8px;box-shadow:0 1px 3px rgba(0,0,0,.08)}
    h2{font-size:17px;margin:0 0 10px}h2 .count{font-weight:400;color:#5b6475;font-size:14px;margin-left:6px}
    h3{font-size:16px;margin:0 0 8px}h3 .rank{color:#c62828}h3 .entity,h3 .score{font-weight:400;color:#5b6475;font-size:13px;margin-left:8px}
    h3 .back{float:right;font-weight:400;font-size:12px}h4{font-size:13px;margin:12px 0 6px;color:#3a4358;text-transform:uppercase;letter-spacing:.04em}
    a{color:#2f56ad}
    table{border-collapse:collapse;font-size:13px;width:100%}th,td{padding:4px 8px;border-bottom:1px solid #e9ebef;text-align:left;vertical-align:top}th{background:#f0f2f5}
    td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}.scroll{overflow-x:auto}
    .queue-tools{display:flex;flex-wrap:wrap;gap:16px;align-items:center;margin:8px 0}.queue-tools input{font-size:14px;padding:4px 8px;width:280px;margin-left:6px}
    .pager button{font-size:13px;padding:3px 10px}#page-status{color:#5b6475;font-size:13px;margin:0 6px}
    .reason-chip{display:inline-block;background:#fdecea;color:#9b1c1c;border-radius:10px;padding:1px 8px;font-size:12px;margin:1px 0}
    article.alert-detail{border-top:2px solid #e2e5ea;padding:12px 0 10px}article.alert-detail:target{background:#fffbe6;outline:2px solid #f0c000;outline-offset:6px}
    .reason-list{margin:0;padding-left:20px}.reason{margin:4px 0}.evidence{margin:2px 0 4px;padding-left:18px;font-size:13px}
    .kv{margin-right:10px}.kv .k{color:#5b6475}.txn-id{background:#f0f2f5;border-radius:3px;padding:0 3px;font-size:12px}.txn-id.own{background:#fdecea;box-shadow:inset 0 0 0 1px #c62828}
    .evidence-payments{width:auto;min-width:640px}.evidence-payments tr.own td{background:#fff4f2}.party-name{color:#5b6475}
    .activity-summary .out{color:#2f56ad}.activity-summary .in{color:#a8610f}
    figure{margin:0}figcaption{font-size:12px;color:#5b6475;margin:2px 0 6px}
    .timeline .plot{fill:#fafbfc;stroke:#e2e5ea}.timeline .grid{stroke:#eceef2}.timeline .tick,.timeline .legend,.timeline .axis-label{font-size:11px;fill:#5b6475}
    .txn.out{fill:#3d6fd9;fill-opacity:.8}.txn.in{fill:#e08a1e;fill-opacity:.8}.txn.evidence{fill-opacity:1;stroke:#1d2433;stroke-width:1}.ring{fill:none;stroke:#c62828;stroke-width:2}
    .neighbourhood{display:flex;flex-wrap:wrap;gap:18px;align-items:flex-start}.neighbourhood table{width:auto;min-width:420px;flex:1}
    .subgraph{background:#fafbfc;border:1px solid #e2e5ea;border-radius:6px}.edge{stroke-width:1.6}.edge.out{stroke:#3d6fd9}.edge.in{stroke:#e08a1e}
    .arrowhead{fill:#666}.node{fill:#dfe6f5;stroke:#7a8aa8}.node.alerted{fill:#fdecea;stroke:#c62828;stroke-width:3}.node.center{fill:#1d2433}
    .node-label{font-size:9px;fill:#1d2433}.node-label.center{fill:#fff;font-weight:600;font-size:10px}.node-name{font-size:10px;fill:#3a4358}
    .amount{font-size:10px;font-weight:600}.amount.out{fill:#2f56ad}.amount.in{fill:#a8610f}.node-link{cursor:pointer}
    .counterparties .flag{background:#fdecea;color:#9b1c1c;border-radius:8px;padding:0 6px;font-size:11px}
    .chart .bar{fill:#3d6fd9}.chart .label{font-size:12px;fill:#333}.chart .value{font-size:12px;fill:#555}.small{font-size:10px}
    .empty,.note,.more{color:#8a93a3;font-style:italic}.toc{line-height:1.9}.toc .rows{color:#8a93a3;font-size:12px}
    footer{color:#8a93a3;font-size:12px;margin:10px 28px 24px}
    """
}
