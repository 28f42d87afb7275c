"""Widgets for each step of the citizens' form: phone first (one column, big targets, no
horizontal scroll), in German, plain German or English. Imported and user text is shown as
plain text only (selectbox options, st.text, data frames), never as markdown or HTML."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from stadtraum.charts.radar import RadarSeries, download_config, radar_figure
from stadtraum.citizen.form import NO_ANSWER, CitizenForm
from stadtraum.citizen.public_link import PublicCampaign
from stadtraum.citizen.texts import privacy, text
from stadtraum.citizen.thanks import AreaProfile, response_number_text
from stadtraum.criteria import Criterion
from stadtraum.ui.citizen.city_texts import city_notice
from stadtraum.ui.plain import md_literal
from stadtraum.vocab import AGE_BANDS, GENDERS, RELATIONS

SCALE = [1, 2, 3, 4, 5, 6, 7, NO_ANSWER]
# phone layout: no side padding eaten by the wide layout, buttons full width
CSS = """
<style>
.block-container { padding-left: 1rem; padding-right: 1rem; max-width: 46rem; }
/* the thank-you page is for reading: no chart or table toolbars */
div.st-key-pub_thanks div[data-testid="stElementToolbar"],
div.st-key-pub_thanks div.modebar-container { display: none !important; }
div[data-testid="stButtonGroup"] button { min-width: 52px; }
</style>
"""


def apply_layout() -> None:
    st.html(CSS)


def _vocab_lang(lang: str) -> str:
    return "en" if lang == "en" else "de"


def welcome(form: CitizenForm, campaign: PublicCampaign, contact: str) -> None:
    lang = form.lang
    st.text(text("intro", lang, campaign=campaign.name))
    st.subheader(text("privacy_heading", lang), anchor=False)
    paragraphs, contact_line = privacy(lang, campaign.min_n, contact)
    for paragraph in paragraphs:
        st.text(paragraph)
    city_notice(lang)  # the city's own notice (settings page), plain text
    st.text(contact_line)
    form.consent = st.checkbox(text("consent", lang), value=form.consent, key="pub_consent")


def code_field(form: CitizenForm, link_code: str) -> str:
    """The invitation code input (filled in from the link); returns what is in it."""
    lang = form.lang
    value = st.text_input(text("code_label", lang), value=form.invitation_code or link_code,
                          max_chars=24, key="pub_code", autocomplete="off")
    st.caption(text("code_hint", lang))
    return str(value or "")


def _scale_label(value: int, lang: str) -> str:
    if value == NO_ANSWER:
        return text("no_answer", lang)
    if value == 1:
        return f"1 {text('poor', lang)}"
    if value == 7:
        return f"7 {text('good', lang)}"
    return str(value)


def criterion(form: CitizenForm, crit: Criterion, number: int, total: int) -> None:
    lang = form.lang
    st.caption(text("step_of", lang, number=number, total=total))
    st.subheader(md_literal(crit.label(_vocab_lang(lang))), anchor=False)
    st.markdown(f"**{md_literal(crit.question(_vocab_lang(lang), plain=lang == 'plain'))}**")
    if lang != "plain":
        st.markdown("\n".join(f"- {md_literal(p)}" for p in crit.prompts(_vocab_lang(lang))))
    st.caption(text("scale_hint", lang))
    with st.container(key=f"scale_pub_{crit.id}"):  # styled as one row of 1–7 (ui/style.py)
        value = st.segmented_control(text("rating", lang), SCALE,
                                     default=form.ratings.get(crit.id),
                                     format_func=lambda v: _scale_label(v, lang),
                                     key=f"pub_rate_{crit.id}")
    if value is None:
        form.ratings.pop(crit.id, None)
    else:
        form.ratings[crit.id] = int(value)
    with st.expander(text("comment", lang)):
        st.caption(text("comment_hint", lang))
        for kind in ("good", "better"):
            form.comments.setdefault(crit.id, {})[kind] = st.text_area(
                text(f"comment_{kind}", lang), value=form.comments.get(crit.id, {}).get(kind, ""),
                max_chars=2000, key=f"pub_c_{crit.id}_{kind}")


def about(form: CitizenForm) -> None:
    lang = form.lang
    st.subheader(text("about_heading", lang), anchor=False)
    labels = {code: vocab.label(code, _vocab_lang(lang))
              for vocab in (AGE_BANDS, GENDERS, RELATIONS) for code in vocab.codes}
    for attr, label, vocab in (("age_band", "age", AGE_BANDS), ("gender", "gender", GENDERS),
                               ("relation", "relation", RELATIONS)):
        value = st.segmented_control(text(label, lang), list(vocab.codes),
                                     default=getattr(form, attr), format_func=labels.__getitem__,
                                     key=f"pub_{attr}")
        setattr(form, attr, value)


def thanks(form: CitizenForm, profile: AreaProfile, area_name: str) -> None:
    lang = form.lang
    st.success(text("thanks", lang))
    number, hint = response_number_text(form.response_id, lang)
    with st.container(border=True, key="pub_number_box"):
        st.text(number)  # literal text: easy to copy or photograph
        st.caption(hint)
    st.subheader(text("compare_heading", lang), anchor=False)
    own_name = text("own", lang)
    area_label = text("area_result", lang, area=area_name)
    series = [RadarSeries(own_name, profile.own)]
    if profile.area_shown:
        series.append(RadarSeries(area_label, profile.area))
    elif not profile.published:
        st.info(text("not_published", lang, area=md_literal(area_name)))
    else:
        st.info(text("area_hidden", lang, area=md_literal(area_name), min_n=profile.min_n))
    with st.container(key="pub_thanks"):
        _thanks_figures(profile, series, area_name, lang)


def _thanks_figures(profile: AreaProfile, series: list[RadarSeries], area_name: str,
                    lang: str) -> None:
    fig = radar_figure(profile.labels, series)
    # phone width: the labels need the side margins more than the chart needs the width
    fig.update_layout(height=440, margin={"l": 90, "r": 90, "t": 30, "b": 30},
                      font={"size": 10})
    st.plotly_chart(fig, config=download_config("meine_bewertung"), key="pub_radar")
    if profile.area_shown and profile.area_shown < len(profile.labels):
        st.caption(text("area_partial", lang))
    table = pd.DataFrame({
        text("topic", lang): list(profile.labels),
        text("you", lang): [None if v is None else int(v) for v in profile.own],
        area_name: [None if v is None else round(v, 1) for v in profile.area],
    })
    # as high as all its rows: it scrolled inside itself on a phone
    st.dataframe(table, hide_index=True, width="stretch", key="pub_table",
                 height=35 * (len(table) + 1) + 3)
    if profile.area_shown:
        st.caption(text("published_note", lang))
    st.caption(text("not_representative", lang))
