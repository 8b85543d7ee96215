package faults_test

import (
	"context"
	"log/slog"
	"net"
	"testing"

	"courseportal/models"
	"courseportal/models/testdb"
	"courseportal/routes"
	"courseportal/views"
)

// portal is the application serving on a loopback port, over the store.
type portal struct {
	url   string
	store *models.Store
	logs  *testdb.LogBuffer
}

// startPortal migrates the database at databaseURL and serves the portal on
// it through a real listener, with the system clock, logging into a buffer
// the test reads.
func startPortal(t *testing.T, databaseURL string) *portal {
	t.Helper()
	db, dialect := testdb.OpenDB(t, databaseURL)
	store := models.NewStore(db, dialect, nil)
	renderer, err := views.New()
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	signer, err := routes.NewSigner(context.Background(), store, base)
	if err != nil {
		t.Fatal(err)
	}
	logs := &testdb.LogBuffer{}
	app := routes.New(routes.Options{Store: store, Views: renderer, BaseURL: base, Signer: signer,
		Log: slog.New(slog.NewTextHandler(logs, nil))})
	go func() { _ = app.Listener(ln) }()
	t.Cleanup(func() {
		if err := app.Shutdown(); err != nil {
			t.Errorf("shutdown: %v", err)
		}
	})
	return &portal{url: base, store: store, logs: logs}
}
