// Swagger UI over the app's own OpenAPI document (kept in a file: the CSP forbids inline scripts).
window.addEventListener("load", function () {
  window.SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: true });
});
