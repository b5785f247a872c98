// Registration: shows only the identifier fields of the chosen place of establishment.
// Without JavaScript every field stays visible and the server ignores the unused ones.
(function () {
    'use strict';
    var radios = document.querySelectorAll('input[name="Establishment"]');
    if (radios.length === 0) {
        return;
    }
    var french = document.getElementById('champs-siret');
    var foreign = document.getElementById('champs-etranger');
    function update() {
        var chosen = document.querySelector('input[name="Establishment"]:checked');
        var isForeign = chosen !== null && chosen.value === 'etranger';
        french.hidden = isForeign;
        foreign.hidden = !isForeign;
    }
    radios.forEach(function (radio) {
        radio.addEventListener('change', update);
    });
    update();
}());
