"""detect/dom.py: the main text of a page, without its navigation, header, footer and banners."""

from __future__ import annotations

from accesscheck.detect.dom import main_text_blocks


def test_main_text_leaves_out_navigation_header_footer_and_cookie_banners():
    html = ('<html><body><header>Council header</header><nav>Home News</nav><div class="cookie-banner">We use cookies'
            '</div><main><p>Real text.</p><li>An item</li></main><footer>Copyright</footer></body></html>')
    assert main_text_blocks(html) == ["Real text.", "An item"]
