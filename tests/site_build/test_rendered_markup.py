"""Material's toggles lose the `autocomplete` attribute HTML does not allow on checkboxes."""

from __future__ import annotations

from generator.site_build.rendered_markup import valid_toggles


def test_checkboxes_lose_autocomplete_and_text_inputs_keep_it() -> None:
    html = (
        '<input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer" autocomplete="off">\n'
        '<input type="text" class="md-search__input" autocomplete="off" required>'
    )
    assert valid_toggles(html) == (
        '<input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer">\n'
        '<input type="text" class="md-search__input" autocomplete="off" required>'
    )


def test_page_without_toggles_is_unchanged() -> None:
    html = '<p>autocomplete="off" is text here</p>'
    assert valid_toggles(html) == html
