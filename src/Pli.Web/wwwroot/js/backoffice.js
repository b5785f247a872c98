// Back office progressive enhancement: CPV code suggestions while typing. Without JavaScript the
// field still takes a code, and /acheteur/cpv lists matches on a plain page.
(function () {
    'use strict';

    function enhance(input) {
        var list = document.getElementById(input.getAttribute('list'));
        var status = document.getElementById(input.dataset.cpvStatus);
        var url = input.dataset.cpvSearch;
        var template = input.dataset.cpvCount || '{0}';
        var timer = null;
        var lastQuery = '';
        if (!list || !url) {
            return;
        }

        function show(suggestions) {
            list.replaceChildren();
            suggestions.forEach(function (s) {
                var option = document.createElement('option');
                option.value = s.code;
                option.label = s.code + ' — ' + s.label;
                option.textContent = s.code + ' — ' + s.label;
                list.appendChild(option);
            });
            if (status) {
                status.textContent = template.replace('{0}', String(suggestions.length));
            }
        }

        function search() {
            var query = input.value.trim();
            // A full code picked from the list needs no new search.
            if (query.length < 2 || query === lastQuery || /^\d{8}-\d$/.test(query)) {
                return;
            }
            lastQuery = query;
            fetch(url + '?q=' + encodeURIComponent(query), { credentials: 'same-origin', headers: { 'Accept': 'application/json' } })
                .then(function (response) { return response.ok ? response.json() : []; })
                .then(function (suggestions) {
                    if (input.value.trim() === query) {
                        show(suggestions);
                    }
                })
                .catch(function () { /* The field keeps working as a plain text input. */ });
        }

        input.addEventListener('input', function () {
            window.clearTimeout(timer);
            timer = window.setTimeout(search, 250);
        });
    }

    document.querySelectorAll('input[data-cpv-search]').forEach(enhance);
}());
