"""A generated portal for benchmarks: N pages with a shared stylesheet, script and images, each
linking to its neighbours, so a crawl must discover them through the rendered DOM."""

from __future__ import annotations

import random
from pathlib import Path

WORDS = ("council tax benefit housing apply form office opening hours support payment "
         "library school transport permit waste collection licence register report").split()


def generate_site(root: Path, pages: int, *, seed: int = 7) -> list[str]:
    """Write the site under `root`; return the page paths."""
    rng = random.Random(seed)
    (root / "assets").mkdir(parents=True, exist_ok=True)
    (root / "assets" / "site.css").write_text(
        "body{font-family:sans-serif;margin:0;color:#222}header,footer{background:#0b3d6b;color:#fff;padding:1em}"
        "header a,footer a{color:#fff}main{max-width:60em;margin:auto;padding:1em}li{padding:6px 0}"
        + "".join(f".c{i}{{margin:{i % 7}px}}" for i in range(300)))
    (root / "assets" / "site.js").write_text(
        "document.addEventListener('DOMContentLoaded',()=>{const n=document.createElement('p');"
        "n.textContent='Last updated today.';document.querySelector('main').appendChild(n);});")
    for i in range(5):
        (root / "assets" / f"photo{i}.svg").write_text(
            f'<svg xmlns="http://www.w3.org/2000/svg" width="320" height="180"><rect width="320" height="180" '
            f'fill="#{(i * 40) % 256:02x}6699"/></svg>')
    paths = ["/index.html"] + [f"/section{i % 10}/page{i}.html" for i in range(1, pages)]
    for i, path in enumerate(paths):
        neighbours = {paths[(i + k) % len(paths)] for k in (1, 2, 3, 7, 31)}
        links = "".join(f'<li><a href="{p}">{rng.choice(WORDS).title()} {p.rsplit("/", 1)[1][:-5]}</a></li>'
                        for p in sorted(neighbours))
        text = "".join("<p>" + " ".join(rng.choice(WORDS) for _ in range(60)) + ".</p>" for _ in range(4))
        image = f'<img src="/assets/photo{i % 5}.svg" alt="{"" if i % 9 == 0 else "Photo of the service"}" width="320" height="180">'
        file = root / path.lstrip("/")
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(
            f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Page {i}</title>'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<link rel="stylesheet" href="/assets/site.css"><script src="/assets/site.js" defer></script></head>'
            f'<body><header><a href="/index.html">Generated council</a></header><main><h1>Page {i}</h1>'
            f'{image}{text}<h2>Related</h2><ul>{links}</ul></main>'
            f'<footer><a href="/index.html">Home</a></footer></body></html>')
    return paths


#: Small pages of the kinds real test suites are made of (W3C ACT cases, pa11y's examples): a form,
#: a data table, a gallery, an embedded frame, media, an ARIA widget, a page whose script keeps
#: state. Each is a few hundred bytes to a few KB, so per-page overhead dominates, not content.
_SMALL_BODIES = (
    '<main><h1>Apply for a permit</h1><form action="/apply" method="post"><label for="n{i}">Name</label>'
    '<input id="n{i}" name="name"><label>Email <input type="email" name="email"></label>'
    '<input name="unlabelled"><button>Send</button></form></main>',
    '<main><h1>Opening hours</h1><table><caption>Offices</caption><tr><th>Office</th><th>Hours</th></tr>'
    '<tr><td>Town hall</td><td>9-17</td></tr><tr><td>Library {i}</td><td>10-18</td></tr></table></main>',
    '<main><h1>Gallery</h1><img src="/assets/photo{m}.svg" alt="Park {i}" width="320" height="180">'
    '<img src="/assets/photo{n}.svg" width="160" height="90"><a href="/small/{i}.html"><img src="/assets/photo{m}.svg" alt=""></a></main>',
    '<main><h1>Map</h1><iframe title="Embedded notice" src="/frame.html" width="300" height="100"></iframe>'
    '<iframe src="/frame.html" width="300" height="100"></iframe></main>',
    '<main><h1>Video guide</h1><video controls width="320" src="/assets/none.webm"><track kind="captions" src="/assets/c.vtt"></video>'
    '<p style="color:#999;background:#fff">Low contrast note {i}.</p></main>',
    '<main><h1>Menu</h1><div role="button" tabindex="0" aria-expanded="false">Open {i}</div>'
    '<div role="tablist"><div role="tab" aria-selected="true">One</div><div role="tab">Two</div></div>'
    '<span role="checkbox" aria-checked="false">Agree</span></main>',
    '<main><h1>Your session</h1><p id="s">Loading.</p><script>document.cookie="visited{i}=1";'
    'localStorage.setItem("seen","{i}");document.getElementById("s").textContent="Welcome back."</script></main>',
    '<div><div style="font-size:2em">Not a heading {i}</div><a href="#">click here</a><a href="/small/{j}.html"></a>'
    '<p lang="xx-invalid">Bonjour</p></div>',
)


def generate_small_pages(root: Path, count: int) -> list[str]:
    """`count` small standalone pages under /small/ plus an index linking them all; return the
    paths, index first."""
    (root / "small").mkdir(parents=True, exist_ok=True)
    (root / "assets").mkdir(parents=True, exist_ok=True)
    for i in range(5):
        (root / "assets" / f"photo{i}.svg").write_text(
            f'<svg xmlns="http://www.w3.org/2000/svg" width="320" height="180"><rect width="320" height="180" '
            f'fill="#{(i * 40) % 256:02x}6699"/></svg>')
    (root / "frame.html").write_text('<!doctype html><html lang="en"><title>Frame</title><p>Framed notice.</p></html>')
    paths = []
    for i in range(count):
        body = _SMALL_BODIES[i % len(_SMALL_BODIES)].format(i=i, j=(i + 1) % count, m=i % 5, n=(i + 2) % 5)
        lang = ' lang="en"' if i % 11 else ""
        (root / "small" / f"{i}.html").write_text(
            f'<!doctype html><html{lang}><head><meta charset="utf-8"><title>Case {i}</title></head>'
            f'<body>{body}</body></html>')
        paths.append(f"/small/{i}.html")
    links = "".join(f'<li><a href="{p}">Case {p[7:-5]}</a></li>' for p in paths)
    (root / "index.html").write_text(
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Cases</title></head>'
        f'<body><main><h1>Cases</h1><ul>{links}</ul></main></body></html>')
    return ["/index.html", *paths]
