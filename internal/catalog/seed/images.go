package seed

import (
	"fmt"
	"hash/fnv"
	"html"
	"net/http"
	"strings"
)

// ImagePath is the public URL of a seeded product's image: the gateway
// publishes catalog's /v1/images/ under /api/v1/images/.
func ImagePath(slug string) string { return "/api/v1/images/" + slug + ".svg" }

// ImageHandler serves the demo images at /v1/images/{slug}.svg. They are
// drawn from the seed data, so no image files or network are needed.
func ImageHandler() http.Handler {
	bySlug := map[string]Product{}
	for _, p := range Products {
		bySlug[p.Slug] = p
	}
	colors := map[string]string{}
	for _, c := range Categories {
		colors[c.Slug] = c.Color
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		slug, ok := strings.CutSuffix(r.PathValue("file"), ".svg")
		p, found := bySlug[slug]
		if !ok || !found {
			http.Error(w, `{"code":"NOT_FOUND","message":"image not found"}`, http.StatusNotFound)
			return
		}
		w.Header().Set("Content-Type", "image/svg+xml")
		w.Header().Set("Cache-Control", "public, max-age=86400")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
		_, _ = w.Write([]byte(svg(p, colors[p.Category])))
	})
}

// svg draws a card: the category colour, a wave band and the product name.
func svg(p Product, color string) string {
	h := fnv.New32a()
	_, _ = h.Write([]byte(p.Slug))
	seed := h.Sum32()
	cx, cy, r := 120+seed%160, 90+(seed>>8)%60, 30+(seed>>16)%30
	return fmt.Sprintf(`<svg xmlns="http://www.w3.org/2000/svg" width="400" height="300" viewBox="0 0 400 300" role="img" aria-label="%[1]s">
<rect width="400" height="300" fill="%[2]s"/>
<circle cx="%[3]d" cy="%[4]d" r="%[5]d" fill="#ffffff" fill-opacity="0.25"/>
<path d="M0 210 Q50 190 100 210 T200 210 T300 210 T400 210 V300 H0 Z" fill="#ffffff" fill-opacity="0.18"/>
<text x="200" y="262" text-anchor="middle" font-family="sans-serif" font-size="20" fill="#ffffff">%[1]s</text>
</svg>
`, html.EscapeString(p.Name), color, cx, cy, r)
}
