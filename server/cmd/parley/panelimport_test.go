package main

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestPanelImport uploads a Disqus export in the admin panel of a running
// server, follows the import to its summary, and reads an imported comment
// from the public API; a malformed file fails naming where, and changes
// nothing.
func TestPanelImport(t *testing.T) {
	const password = "demo-password-for-import"
	addr := startServer(t, func(k string) string {
		if k == "PARLEY_DEMO_PASSWORD" {
			return password
		}
		return ""
	})
	base := "http://" + addr
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, Timeout: 30 * time.Second}
	resp, err := client.Post(base+"/api/v1/admin/login", "application/json",
		strings.NewReader(`{"email":"`+demoEmail+`","password":"`+password+`"}`))
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("login: %v %v", resp, err)
	}
	var me struct {
		CSRF string `json:"csrf_token"`
	}
	json.NewDecoder(resp.Body).Decode(&me)
	resp.Body.Close()

	upload := func(name string, data []byte) string {
		t.Helper()
		var body bytes.Buffer
		w := multipart.NewWriter(&body)
		w.WriteField("csrf", me.CSRF)
		w.WriteField("site", "demo")
		w.WriteField("format", "disqus")
		fw, _ := w.CreateFormFile("file", name)
		fw.Write(data)
		w.Close()
		req, _ := http.NewRequest("POST", base+"/admin/import", &body)
		req.Header.Set("Content-Type", w.FormDataContentType())
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if resp.StatusCode != 200 || !strings.HasPrefix(resp.Request.URL.Path, "/admin/import/") {
			b, _ := io.ReadAll(resp.Body)
			t.Fatalf("upload %s: %d %s %.300s", name, resp.StatusCode, resp.Request.URL, b)
		}
		// The job page refreshes itself until the import is done.
		for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
			r, err := client.Get(resp.Request.URL.String())
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(r.Body)
			r.Body.Close()
			if !strings.Contains(string(b), `http-equiv="refresh"`) {
				return string(b)
			}
		}
		t.Fatalf("the import of %s did not finish", name)
		return ""
	}

	fixture, err := os.ReadFile(filepath.Join("..", "..", "transfer", "formats", "testdata", "disqus.xml"))
	if err != nil {
		t.Fatal(err)
	}
	page := upload("disqus.xml", fixture)
	done := regexp.MustCompile(`Done: (\d+) comments`).FindStringSubmatch(page)
	if done == nil || done[1] == "0" {
		t.Fatalf("the import page says:\n%.2000s", page)
	}
	again := upload("disqus.xml", fixture)
	if !strings.Contains(again, "Done: 0 comments") {
		t.Errorf("a second import of the same file added comments:\n%.1000s", again)
	}
	bad := upload("broken.xml", fixture[:len(fixture)/2])
	if !strings.Contains(bad, "malformed at") || !strings.Contains(bad, "Nothing was imported") {
		t.Errorf("a truncated file:\n%.1000s", bad)
	}
	list, _ := client.Get(base + "/admin/import")
	b, _ := io.ReadAll(list.Body)
	list.Body.Close()
	if strings.Count(string(b), "/admin/import/") < 3 {
		t.Errorf("the import page does not list the three imports")
	}
}
