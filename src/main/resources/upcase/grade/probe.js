// A probe's page: its score, its failed rows and their faults, as shown.
Shown.values.score = document.getElementById("score").textContent;
Shown.values.failedRows = document.querySelectorAll("tr.check.fail").length;
Shown.values.faults = texts("dd.fault");
Shown.values.got = texts("dd.got");
show();
