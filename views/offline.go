package views

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"text/template"

	"courseportal/views/i18n"
)

// shellFiles are the static files the service worker caches at install, so
// that saved readings and the offline page look right without a network.
var shellFiles = []string{"css/app.css", "js/reader.js", "js/queue.js", "js/offline.js",
	"icons/icon.svg", "icons/icon-192.png", "icons/icon-512.png"}

// OfflinePath is the page the service worker shows for a page that is not
// saved on the device when the network is gone. It keeps it once per
// language (OfflinePath?lang=fa-AF) and answers with the one in the
// language of the person's last page.
const OfflinePath = "/offline"

// workerData is what the service worker's template is filled with, each
// value as JSON.
type workerData struct {
	Version, Shell, Queue, OfflinePages, DefaultLanguage string
}

// serviceWorker renders the service worker's script with the current
// fingerprinted URLs of the shell and the offline page of every language a
// person may choose. Its version (and so its cache's name) changes whenever
// a shell file, the list of languages or the script changes, which makes
// browsers install the new worker and drop the old shell.
func serviceWorker(a *Assets, langs *i18n.Catalogue) ([]byte, error) {
	offline := map[string]string{}
	var shell []string
	for _, loc := range langs.Languages() {
		url := OfflinePath + "?lang=" + loc.Code()
		offline[loc.Code()] = url
		shell = append(shell, url)
	}
	for _, name := range shellFiles {
		url, err := a.URL(name)
		if err != nil {
			return nil, err
		}
		shell = append(shell, url)
	}
	queue, err := a.URL("js/queue.js")
	if err != nil {
		return nil, err
	}
	source, err := files.ReadFile("templates/sw.js")
	if err != nil {
		return nil, fmt.Errorf("views: unable to read the service worker: %w", err)
	}
	var data workerData
	var err1, err2, err3, err4 error
	data.Shell, err1 = jsonText(shell)
	data.Queue, err2 = jsonText(queue)
	data.OfflinePages, err3 = jsonText(offline)
	data.DefaultLanguage, err4 = jsonText(langs.Default().Code())
	if err := errors.Join(err1, err2, err3, err4); err != nil {
		return nil, fmt.Errorf("views: unable to write the service worker's data: %w", err)
	}
	sum := sha256.Sum256(append(append([]byte{}, source...), data.Shell...))
	data.Version = `"` + hex.EncodeToString(sum[:6]) + `"`
	tmpl, err := template.New("sw.js").Delims("/*{{", "}}*/").Parse(string(source))
	if err != nil {
		return nil, fmt.Errorf("views: unable to parse the service worker: %w", err)
	}
	var buf bytes.Buffer
	if err := tmpl.Execute(&buf, data); err != nil {
		return nil, fmt.Errorf("views: unable to render the service worker: %w", err)
	}
	return buf.Bytes(), nil
}

// jsonText is v as JSON, for a script.
func jsonText(v any) (string, error) {
	j, err := json.Marshal(v)
	return string(j), err
}
