// "weitere anzeigen": fetch the next page of results and append its cards in place.
// Without JavaScript the link simply opens that page (offset/limit in the URL).
document.addEventListener("DOMContentLoaded", function () {
  function wire(link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      fetch(link.href, { headers: { "Accept": "text/html" } })
        .then(function (answer) { return answer.ok ? answer.text() : Promise.reject(answer.status); })
        .then(function (html) {
          var next = new DOMParser().parseFromString(html, "text/html");
          var holderOfGroups = document.getElementById("ergebnisse");
          var cards = next.querySelectorAll("#ergebnisse li.card");
          // Each group's new cards join that group's list; a group new on this page is added whole.
          next.querySelectorAll("#ergebnisse > div.group").forEach(function (group) {
            var mine = holderOfGroups.querySelector(
              'div.group[data-group="' + group.getAttribute("data-group") + '"] > ol');
            if (mine) {
              group.querySelectorAll("li.card").forEach(function (card) {
                mine.appendChild(document.adoptNode(card));
              });
            } else {
              holderOfGroups.appendChild(document.adoptNode(group));
            }
          });
          var holder = link.parentNode;
          var newer = next.getElementById("weitere");
          if (newer) {
            link.href = newer.href;
          } else {
            holder.remove();
          }
          if (cards.length) {
            var first = cards[0].querySelector("a");
            if (first) { first.focus(); }
          }
        })
        .catch(function () { window.location.href = link.href; });
    });
  }
  var more = document.getElementById("weitere");
  if (more) { wire(more); }
});
