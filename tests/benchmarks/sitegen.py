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
