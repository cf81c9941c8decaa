// Loads the Pagefind search UI on the search page; without the index it says so.
(function () {
  var el = document.getElementById('search');
  if (!el) return;
  var bundle = new URL(el.getAttribute('data-bundle'), document.baseURI).href;
  var root = new URL(el.getAttribute('data-root'), document.baseURI).pathname;
  var unavailable = function () {
    var p = document.createElement('p');
    p.textContent = el.getAttribute('data-unavailable');
    el.replaceChildren(p);
  };
  var css = document.createElement('link');
  css.rel = 'stylesheet';
  css.href = bundle + 'pagefind-ui.css';
  document.head.appendChild(css);
  var script = document.createElement('script');
  script.src = bundle + 'pagefind-ui.js';
  script.onerror = unavailable;
  script.onload = function () {
    if (typeof window.PagefindUI !== 'function') return unavailable();
    var ui = new window.PagefindUI({
      element: '#search',
      bundlePath: bundle,
      baseUrl: root,
      showImages: false,
      showSubResults: true,
      resetStyles: false,
      autofocus: !new URLSearchParams(location.search).get('q'),
    });
    // Pagefind's field has a placeholder but no label: give it one for screen readers.
    var input = el.querySelector('input');
    if (input) input.setAttribute('aria-label', el.getAttribute('data-label'));
    var q = new URLSearchParams(location.search).get('q');
    if (q) ui.triggerSearch(q);
  };
  document.head.appendChild(script);
})();
