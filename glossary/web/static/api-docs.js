// The API documentation page: Swagger UI over the OpenAPI document the page names
// (data-spec-url), loaded from this file because the pages run no inline script.
window.addEventListener("load", function () {
  var root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({url: root.dataset.specUrl, dom_id: "#swagger-ui", deepLinking: true,
                               defaultModelsExpandDepth: 0, tryItOutEnabled: false});
});
