import type { Metadata, Viewport } from "next";
import { SiteHeader } from "@/components/SiteHeader";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "shipshape · chandlery", template: "%s · shipshape" },
  description: "Deck gear, rope, navigation, lighting and foul-weather gear for sailors.",
};

export const viewport: Viewport = { width: "device-width", initialScale: 1, themeColor: "#083a5b" };

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body>
        <a href="#main" className="skip-link">
          Skip to content
        </a>
        <SiteHeader />
        <main id="main" tabIndex={-1}>
          {children}
        </main>
        <footer className="site-footer">
          <p>shipshape — a demonstration shop. Payments are simulated; nothing is charged or shipped.</p>
        </footer>
      </body>
    </html>
  );
}
