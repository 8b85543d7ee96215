package routes

import (
	"strings"

	"courseportal/views/i18n"
)

// deviceName summarises a User-Agent for people, like "Firefox on
// Android". It knows the common browsers and systems; anything else is
// named by its first word.
func deviceName(loc *i18n.Localizer, ua string) string {
	if strings.TrimSpace(ua) == "" {
		return loc.T("device.unknown")
	}
	browser := firstMatch(ua, [][2]string{
		{"Edg/", "Edge"}, {"OPR/", "Opera"}, {"SamsungBrowser/", "Samsung Internet"}, {"Firefox/", "Firefox"},
		{"FxiOS/", "Firefox"}, {"CriOS/", "Chrome"}, {"Chromium/", "Chromium"}, {"Chrome/", "Chrome"},
		{"Safari/", "Safari"}, {"curl/", "curl"}, {"Go-http-client", "Go program"},
	})
	system := firstMatch(ua, [][2]string{
		{"iPhone", "iPhone"}, {"iPad", "iPad"}, {"Android", "Android"}, {"Windows", "Windows"},
		{"Mac OS X", "macOS"}, {"CrOS", "ChromeOS"}, {"Linux", "Linux"},
	})
	switch {
	case browser != "" && system != "":
		return loc.T("device.on", "Browser", browser, "System", system)
	case browser != "":
		return browser
	case system != "":
		return loc.T("device.browser_on", "System", system)
	}
	name, _, _ := strings.Cut(ua, "/")
	if len(name) > 40 {
		name = name[:40]
	}
	return strings.TrimSpace(strings.ToValidUTF8(name, ""))
}

func firstMatch(s string, pairs [][2]string) string {
	for _, p := range pairs {
		if strings.Contains(s, p[0]) {
			return p[1]
		}
	}
	return ""
}
