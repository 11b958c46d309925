"""Detection machinery of the channels and inclusion pillars: pure functions of a page's HTML.

    lexicon      the per-language keyword tables (data/languages/*.toml) and pillar data files
    dom          HTML parsing, readable CSS selectors, text blocks, the main text
    country      the country a page speaks for: portal, host suffix, language (data/channels.toml)
    phones       phone numbers: tel: links, schema.org, numbers in text (phonenumbers)
    addresses    postal addresses: markup, and postcode + street lines by country (pyap2, data)
    contacts     textphone, hours, office, email, form, SMS, webchat, paper forms
    statement    accessibility statement links and the elements of its content
    language     html[lang] validity and truth (lingua), hreflang, switchers, Easy Read
    readability  plain-language measures of the main text (textstat)
    titles       generic titles and titles unrelated to the main heading
    warm_up      loads the language models once per check worker process, when it starts

Every detector returns evidence items `{"selector", "text", ...}`; the checks add the page URL.
"""
