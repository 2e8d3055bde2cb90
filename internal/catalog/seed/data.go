// Package seed is the demo catalog: `catalog seed` loads it (idempotently)
// and its product images are drawn from it, so they work offline.
package seed

// Category is a demo category; Color tints its products' images.
type Category struct {
	Slug, Name, Description, Color string
}

// Product is a demo product; prices are euro cents.
type Product struct {
	Slug, Name, Description, Category string
	PriceCents                        int64
	Stock                             int32
}

// Categories of the demo shop, a chandlery.
var Categories = []Category{
	{"rope-rigging", "Rope & Rigging", "Lines, shackles and blocks for every job on board.", "#1f6f8b"},
	{"deck-gear", "Deck Gear", "Fenders, winch handles and the things you reach for on deck.", "#7a4f2a"},
	{"navigation", "Navigation", "Compasses, charts and instruments to find your way.", "#2d4a7a"},
	{"lighting", "Lighting", "Lanterns, torches and cabin lights.", "#b3841c"},
	{"galley", "Galley", "Cookware and tableware that stays put in a seaway.", "#8a2f3c"},
	{"foul-weather", "Foul-Weather Gear", "Jackets, trousers, boots and gloves for wet days.", "#3f6b3a"},
}

// Products of the demo shop, five per category.
var Products = []Product{
	{"braided-dock-line-12mm", "Braided Dock Line 12 mm", "Double-braided polyester dock line, 10 m, with a spliced eye.", "rope-rigging", 3490, 40},
	{"dyneema-sheet-8mm", "Dyneema Sheet 8 mm", "Low-stretch sheet line with a Dyneema core for crisp sail trim.", "rope-rigging", 6900, 25},
	{"stainless-bow-shackle", "Stainless Bow Shackle", "Forged 316 stainless bow shackle with a captive pin, 8 mm.", "rope-rigging", 1250, 120},
	{"single-swivel-block", "Single Swivel Block", "Ball-bearing block for lines up to 10 mm, swivel head.", "rope-rigging", 4590, 30},
	{"soft-shackle-pair", "Soft Shackle Pair", "Two hand-spliced Dyneema soft shackles, light and strong.", "rope-rigging", 1990, 60},
	{"cylinder-fender", "Cylinder Fender", "Inflatable cylinder fender, 20 x 60 cm, with reinforced eyes.", "deck-gear", 2890, 50},
	{"locking-winch-handle", "Locking Winch Handle", "Aluminium winch handle, 25 cm, with a locking grip that will not slip out.", "deck-gear", 5490, 20},
	{"boat-hook", "Telescopic Boat Hook", "Boat hook extending from 1.2 to 2.1 m with a floating handle.", "deck-gear", 3990, 35},
	{"deck-brush", "Deck Brush", "Stiff-bristle deck brush with a broom-thread head.", "deck-gear", 1690, 45},
	{"folding-anchor", "Folding Grapnel Anchor", "Galvanised folding grapnel anchor, 3.2 kg, for tenders and kayaks.", "deck-gear", 4290, 15},
	{"hand-bearing-compass", "Hand Bearing Compass", "Damped hand bearing compass with a luminous card for night bearings.", "navigation", 8900, 18},
	{"brass-dividers", "Brass Dividers", "One-handed brass chart dividers, 18 cm.", "navigation", 2490, 40},
	{"parallel-rule", "Parallel Rule", "Clear acrylic parallel rule for laying off courses, 38 cm.", "navigation", 2190, 30},
	{"tide-clock", "Tide Clock", "Wall tide clock that shows hours to high and low water.", "navigation", 5990, 12},
	{"coastal-chart-pack", "Coastal Chart Pack", "Waterproof folio of twelve coastal charts with harbour plans.", "navigation", 7490, 22},
	{"storm-lantern", "Storm Lantern", "Paraffin storm lantern in galvanised steel, burns 20 hours.", "lighting", 3290, 28},
	{"red-light-headlamp", "Red-Light Headlamp", "Headlamp with a red mode that keeps your night vision.", "lighting", 2990, 55},
	{"led-anchor-light", "LED Anchor Light", "All-round white LED anchor light, 2 nm visibility, 12 V.", "lighting", 6490, 16},
	{"cabin-reading-light", "Cabin Reading Light", "Warm LED reading light on a swivel arm, 12 V.", "lighting", 3890, 24},
	{"waterproof-torch", "Waterproof Torch", "Floating torch, waterproof to 10 m, 800 lumen.", "lighting", 2590, 48},
	{"gimballed-stove-kettle", "Whistling Kettle", "Stainless whistling kettle with a wide base for gimballed stoves.", "galley", 3490, 26},
	{"enamel-mug-set", "Enamel Mug Set", "Four enamel mugs that survive being dropped in the cockpit.", "galley", 2790, 44},
	{"non-slip-plates", "Non-Slip Plates", "Set of four melamine plates with rubber rings underneath.", "galley", 3190, 33},
	{"nesting-pan-set", "Nesting Pan Set", "Three stainless pans with one detachable handle, nesting in one locker.", "galley", 8990, 10},
	{"insulated-bottle", "Insulated Bottle", "Vacuum bottle keeping coffee hot through a night watch, 750 ml.", "galley", 2490, 70},
	{"offshore-jacket", "Offshore Jacket", "Breathable three-layer jacket with a high collar and storm hood.", "foul-weather", 32900, 8},
	{"salopettes", "Salopettes", "Waterproof high-waisted trousers with reinforced knees and seat.", "foul-weather", 22900, 9},
	{"sailing-boots", "Sailing Boots", "Neoprene-lined rubber boots with a siped non-marking sole.", "foul-weather", 14900, 14},
	{"sailing-gloves", "Sailing Gloves", "Grippy gloves with reinforced palms and two cut fingers.", "foul-weather", 3490, 38},
	{"dry-bag-20l", "Dry Bag 20 L", "Roll-top dry bag that keeps a change of clothes dry, 20 litres.", "foul-weather", 2290, 65},
}
