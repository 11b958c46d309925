/* Report a pothole: the whole page is built by this script, so without JavaScript it is empty. */
(function () {
  "use strict";
  var app = document.getElementById("app");
  app.innerHTML =
    '<h1>Report a pothole</h1>' +
    '<p class="lead">Tell us where the pothole is and we will inspect it within 5 working days.</p>' +
    '<p>We repair dangerous potholes within 24 hours. Others are added to our repair programme. You can report a pothole on any road, pavement or cycle path that the council looks after; for motorways and trunk roads contact National Highways.</p>' +
    '<form action="/services/online/index.html" method="get">' +
    '<div class="form-group"><label for="street">Street name</label><input type="text" id="street" name="street" autocomplete="street-address"></div>' +
    '<div class="form-group"><label for="details">Nearest house number or landmark</label><input type="text" id="details" name="details"></div>' +
    '<button type="submit" class="button">Send report</button></form>';
})();
