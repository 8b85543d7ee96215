package views

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"text/template"
)

// shellFiles are the static files the service worker caches at install, so
// that saved readings and the offline page look right without a network.
var shellFiles = []string{"css/app.css", "js/reader.js", "js/queue.js", "js/offline.js",
	"icons/icon.svg", "icons/icon-192.png", "icons/icon-512.png"}

// OfflinePath is the page the service worker shows for a page that is not
// saved on the device when the network is gone.
const OfflinePath = "/offline"

// serviceWorker renders the service worker's script with the current
// fingerprinted URLs of the shell. Its version (and so its cache's name)
// changes whenever a shell file or the script changes, which makes browsers
// install the new worker and drop the old shell.
func serviceWorker(a *Assets) ([]byte, error) {
	shell := []string{OfflinePath}
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
	queueURL, err := json.Marshal(queue)
	if err != nil {
		return nil, fmt.Errorf("views: unable to name the queue script: %w", err)
	}
	source, err := files.ReadFile("templates/sw.js")
	if err != nil {
		return nil, fmt.Errorf("views: unable to read the service worker: %w", err)
	}
	list, err := json.Marshal(shell)
	if err != nil {
		return nil, fmt.Errorf("views: unable to list the shell: %w", err)
	}
	sum := sha256.Sum256(append(append([]byte{}, source...), list...))
	version, err := json.Marshal(hex.EncodeToString(sum[:6]))
	if err != nil {
		return nil, fmt.Errorf("views: unable to version the shell: %w", err)
	}
	tmpl, err := template.New("sw.js").Delims("/*{{", "}}*/").Parse(string(source))
	if err != nil {
		return nil, fmt.Errorf("views: unable to parse the service worker: %w", err)
	}
	var buf bytes.Buffer
	if err := tmpl.Execute(&buf, map[string]string{"Version": string(version), "Shell": string(list),
		"Queue": string(queueURL)}); err != nil {
		return nil, fmt.Errorf("views: unable to render the service worker: %w", err)
	}
	return buf.Bytes(), nil
}
