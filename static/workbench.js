/* Plae's workbench keys, served by Plae itself (no CDN). Progressive: every page works
 * without this script; it only adds
 *   Ctrl+S          save the draft (the editor's "Save" button)
 *   Ctrl+Enter      submit for review and open the next untranslated segment
 *   Alt+Down/Up     next / previous segment (on a chapter page: the next / previous row)
 *   Ctrl+1..3       insert the translation memory's first, second, third match
 * a copy of unsaved text in this browser (localStorage), offered back when the page is
 * opened again, and times shown in local time. It never saves to the server by itself, so
 * it cannot race with the user's own saves.
 */
(function () {
  "use strict";

  var storage = (function () {
    try {
      var probe = "plae:probe";
      window.localStorage.setItem(probe, probe);
      window.localStorage.removeItem(probe);
      return window.localStorage;
    } catch (e) {
      return null;
    }
  })();

  function click(form, intent) {
    var button = form.querySelector('button[name="intent"][value="' + intent + '"]') ||
      form.querySelector('button[type="submit"]');
    if (button) {
      button.click();
    } else if (form.requestSubmit) {
      form.requestSubmit();
    } else {
      form.submit();
    }
  }

  /* The editor: keys, and the local copy of what is typed. */
  function setUpEditor(form) {
    var text = form.querySelector('textarea[name="text"]');
    var base = form.querySelector('input[name="base"]');
    if (!text) {
      return;
    }
    var key = "plae:draft:" + form.getAttribute("data-segment");
    var original = text.value;

    if (storage) {
      var saved = null;
      try {
        saved = JSON.parse(storage.getItem(key) || "null");
      } catch (e) {
        saved = null;
      }
      if (saved && typeof saved.text === "string" && saved.text !== original) {
        offer(form, text, base, saved, key);
      }
      var timer = null;
      text.addEventListener("input", function () {
        window.clearTimeout(timer);
        timer = window.setTimeout(function () {
          if (text.value === original) {
            storage.removeItem(key);
            return;
          }
          storage.setItem(key, JSON.stringify({
            text: text.value,
            base: base ? base.value : "",
            at: new Date().toISOString()
          }));
        }, 400);
      });
      form.addEventListener("submit", function () {
        // The server has it now (or shows it again with the reason).
        storage.removeItem(key);
      });
    }

    document.addEventListener("keydown", function (event) {
      var mod = event.ctrlKey || event.metaKey;
      if (mod && !event.altKey && (event.key === "s" || event.key === "S")) {
        event.preventDefault();
        click(form, "save");
      } else if (mod && event.key === "Enter") {
        event.preventDefault();
        var next = form.querySelector('input[name="next"]');
        if (next && next.type === "checkbox") {
          next.checked = true;
        }
        click(form, "submit");
      }
    });
  }

  /* Offers text typed earlier in this browser and not saved. Restoring it also restores
   * the revision it was based on, so that if someone saved meanwhile the server shows the
   * conflict instead of overwriting their text. */
  function offer(form, text, base, saved, key) {
    var box = document.createElement("div");
    box.className = "form-notice restore-draft";
    box.setAttribute("role", "status");
    var when = new Date(saved.at);
    var message = document.createElement("span");
    message.textContent = "This browser has text you typed here " +
      (isNaN(when) ? "earlier" : "on " + when.toLocaleString()) + " and did not save. ";
    var restore = document.createElement("button");
    restore.type = "button";
    restore.textContent = "Restore it";
    restore.addEventListener("click", function () {
      text.value = saved.text;
      if (base && typeof saved.base === "string") {
        base.value = saved.base;
      }
      box.remove();
      text.focus();
    });
    var discard = document.createElement("button");
    discard.type = "button";
    discard.className = "secondary";
    discard.textContent = "Discard it";
    discard.addEventListener("click", function () {
      storage.removeItem(key);
      box.remove();
    });
    box.appendChild(message);
    box.appendChild(restore);
    box.appendChild(document.createTextNode(" "));
    box.appendChild(discard);
    form.insertBefore(box, form.firstChild);
  }

  /* Alt+Down/Up: the next or previous segment. */
  function setUpNavigation() {
    var rows = Array.prototype.slice.call(document.querySelectorAll("ol.segments > li.segment"));
    document.addEventListener("keydown", function (event) {
      if (!event.altKey || event.ctrlKey || event.metaKey) {
        return;
      }
      var down = event.key === "ArrowDown";
      var up = event.key === "ArrowUp";
      if (!down && !up) {
        return;
      }
      if (rows.length) {
        event.preventDefault();
        var current = rows.findIndex(function (row) {
          return row.contains(document.activeElement);
        });
        var index = current < 0 ? (down ? 0 : rows.length - 1) : current + (down ? 1 : -1);
        var row = rows[Math.max(0, Math.min(rows.length - 1, index))];
        var link = row.querySelector("a.ref");
        row.scrollIntoView({ block: "center" });
        if (link) {
          link.focus({ preventScroll: true });
        }
        return;
      }
      var pager = document.querySelector('nav.pager a[rel="' + (down ? "next" : "prev") + '"]');
      if (pager) {
        event.preventDefault();
        window.location.href = pager.href;
      }
    });
  }

  /* Times are written in UTC; show them in the reader's own time zone. */
  function localTimes() {
    var times = document.querySelectorAll("time[datetime]");
    for (var i = 0; i < times.length; i++) {
      var when = new Date(times[i].getAttribute("datetime"));
      if (!isNaN(when)) {
        times[i].title = times[i].textContent;
        times[i].textContent = when.toLocaleString([], {
          year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit"
        });
      }
    }
  }

  /* The translation memory's "Insert" links fill the editor in place (without the
   * script they reopen the page with the English in it); Ctrl+1..3 does the same. */
  function setUpMemory(form) {
    var text = form.querySelector('textarea[name="text"]');
    var links = document.querySelectorAll(".tm-match a.tm-insert");
    if (!text || links.length === 0) {
      return;
    }
    function insert(link) {
      text.value = link.getAttribute("data-english");
      text.dispatchEvent(new Event("input"));
      text.focus();
    }
    Array.prototype.forEach.call(links, function (link) {
      link.addEventListener("click", function (event) {
        event.preventDefault();
        insert(link);
      });
    });
    document.addEventListener("keydown", function (event) {
      var mod = event.ctrlKey || event.metaKey;
      var n = parseInt(event.key, 10);
      if (mod && !event.altKey && n >= 1 && n <= links.length) {
        event.preventDefault();
        insert(links[n - 1]);
      }
    });
  }

  function start() {
    var editor = document.querySelector("form.editor");
    if (editor) {
      setUpEditor(editor);
      setUpMemory(editor);
    }
    setUpNavigation();
    localTimes();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
