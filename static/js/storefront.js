// Storefront checkout: sends the cart and the buyer's details as JSON (with the CSRF token and
// this page's checkout key, so a double click never places two orders).
document.addEventListener("DOMContentLoaded", function () {
  var form = document.getElementById("checkout-form");
  if (!form) return;
  var errorBox = document.getElementById("checkout-error");
  var button = document.getElementById("place-order");
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var items = [];
    document.querySelectorAll("#cart-lines tbody tr[data-sku]").forEach(function (row) {
      items.push({ sku_id: Number(row.dataset.sku), quantity: Number(row.dataset.quantity) });
    });
    var buyer = {};
    ["name", "email", "phone", "line1", "city", "state", "postcode"].forEach(function (field) {
      buyer[field] = form.elements[field].value;
    });
    button.disabled = true;
    errorBox.hidden = true;
    fetch(form.action, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        "X-CSRFToken": form.elements["csrfmiddlewaretoken"].value,
      },
      body: JSON.stringify({
        items: items,
        buyer: buyer,
        checkout_key: form.dataset.checkoutKey,
        coupon: form.elements["coupon"] ? form.elements["coupon"].value : "",
      }),
    })
      .then(function (response) {
        return response.json().then(function (data) { return { ok: response.ok, data: data }; });
      })
      .then(function (result) {
        if (result.ok) {
          window.location.assign(result.data.order_url);
        } else {
          errorBox.textContent = result.data.error || "Something went wrong; please try again.";
          errorBox.hidden = false;
          button.disabled = false;
        }
      })
      .catch(function () {
        errorBox.textContent = "Could not reach the shop; please try again.";
        errorBox.hidden = false;
        button.disabled = false;
      });
  });
});
