package routes

import "strings"

// deviceName summarises a User-Agent for people, like "Firefox on
// Android". It knows the common browsers and systems; anything else is
// named by its first word.
func deviceName(ua string) string {
	if strings.TrimSpace(ua) == "" {
		return "Unknown device"
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
		return browser + " on " + system
	case browser != "":
		return browser
	case system != "":
		return "Browser on " + system
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
