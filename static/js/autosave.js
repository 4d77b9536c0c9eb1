/* Autosave of evaluation sheets (the student's day, the session sheet, the weekly check-in,
   soft skills). Loaded with defer by base.html; no inline scripts (strict CSP).

   Contract (evaluation/views/autosave.py answers it):
   - <form method="post" data-autosave> holds a hidden input name="version" and, somewhere
     inside, an element [data-autosave-status] whose data-msg-* attributes carry the
     translated messages. Without JavaScript the form's submit button posts everything.
   - Each change of an input POSTs the form's FormData to its action with "X-Autosave: 1".
     200 {status:"saved", version, message} · 409 {status:"stale", message, version, values}
     (someone else saved: show their values) · 400 {status:"invalid", errors:{name: msg}}.
   - A network error or a 5xx keeps the save pending (also in localStorage, so a reload or a
     crash does not lose it) and retries with backoff; "online" retries at once. Nothing is
     dropped silently: the status says "not saved" until the server has it.
   - A button[data-autosave-fill="<css selector>"] checks every matching input inside the
     form, then saves once (the "Alles bereikt" and "Zelfde als vorige week" shortcuts);
     without JavaScript it is a normal submit button. */
"use strict";

(function () {
  var FIRST_RETRY = 2000;
  var MAX_RETRY = 30000;
  var TYPING_DELAY = 800;
  var forms = [];

  function statusOf(form) {
    return form.querySelector("[data-autosave-status]");
  }

  function message(form, name, fallback) {
    var status = statusOf(form);
    return (status && status.getAttribute("data-msg-" + name)) || fallback;
  }

  function show(form, state, text) {
    var status = statusOf(form);
    form.setAttribute("data-autosave-state", state);
    if (!status) return;
    status.textContent = text;
    status.setAttribute("data-state", state);
    status.setAttribute("role", state === "stale" || state === "error" ? "alert" : "status");
  }

  function storageKey(form) {
    return "duaal-autosave:" + (form.getAttribute("action") || window.location.pathname);
  }

  function remember(form, entries) {
    try {
      window.localStorage.setItem(storageKey(form), JSON.stringify(entries));
    } catch (error) {
      /* private mode or full storage: the in-memory retry still holds the save */
    }
  }

  function forget(form) {
    try {
      window.localStorage.removeItem(storageKey(form));
    } catch (error) {
      /* nothing stored */
    }
  }

  function entriesOf(form) {
    var entries = [];
    new FormData(form).forEach(function (value, name) {
      if (typeof value === "string") entries.push([name, value]);
    });
    return entries;
  }

  function inputsNamed(form, name) {
    return Array.prototype.filter.call(form.elements, function (element) {
      return element.name === name;
    });
  }

  function setValue(form, name, value) {
    inputsNamed(form, name).forEach(function (input) {
      if (input.type === "radio") {
        input.checked = input.value === value;
      } else if (input.type === "checkbox") {
        input.checked = value === input.value || value === true || value === "on";
      } else if (input.type !== "hidden" || name === "version") {
        input.value = value === null || value === undefined ? "" : value;
      }
    });
  }

  function clearErrors(form) {
    form.querySelectorAll("[data-autosave-error]").forEach(function (node) {
      node.remove();
    });
  }

  function showErrors(form, errors) {
    clearErrors(form);
    Object.keys(errors || {}).forEach(function (name) {
      var inputs = inputsNamed(form, name);
      var anchor = inputs.length ? inputs[inputs.length - 1] : statusOf(form);
      if (!anchor) return;
      var note = document.createElement("p");
      note.className = "field__error";
      note.setAttribute("data-autosave-error", name);
      note.textContent = errors[name];
      var field = anchor.closest(".field, fieldset, .rating") || anchor;
      field.appendChild(note);
    });
  }

  function State(form) {
    this.form = form;
    this.timer = null;
    this.inflight = false;
    this.again = false;
    this.delay = FIRST_RETRY;
  }

  State.prototype.schedule = function (wait) {
    var self = this;
    window.clearTimeout(this.timer);
    show(this.form, "pending", message(this.form, "saving", "…"));
    remember(this.form, entriesOf(this.form));
    this.timer = window.setTimeout(function () {
      self.send();
    }, wait);
  };

  State.prototype.pending = function () {
    return this.inflight || this.timer !== null;
  };

  State.prototype.send = function () {
    var self = this;
    var form = this.form;
    this.timer = null;
    if (this.inflight) {
      this.again = true;
      return;
    }
    this.inflight = true;
    var entries = entriesOf(form);
    remember(form, entries);
    var body = new FormData();
    entries.forEach(function (entry) {
      body.append(entry[0], entry[1]);
    });
    window
      .fetch(form.getAttribute("action") || window.location.href, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { "X-Autosave": "1", Accept: "application/json" },
      })
      .then(function (response) {
        if (response.status >= 500) throw new Error("server " + response.status);
        return response.json().then(function (data) {
          return { code: response.status, data: data };
        });
      })
      .then(function (result) {
        self.inflight = false;
        self.delay = FIRST_RETRY;
        self.handle(result.code, result.data || {});
        if (self.again) {
          self.again = false;
          self.send();
        }
      })
      .catch(function () {
        self.inflight = false;
        show(form, "retry", message(form, "retry", "Not saved — retrying…"));
        self.timer = window.setTimeout(function () {
          self.send();
        }, self.delay);
        self.delay = Math.min(self.delay * 2, MAX_RETRY);
      });
  };

  State.prototype.handle = function (code, data) {
    var form = this.form;
    if (data.version !== undefined) setValue(form, "version", String(data.version));
    if (code === 200) {
      forget(form);
      clearErrors(form);
      show(form, "saved", data.message || message(form, "saved", "✓"));
      form.dispatchEvent(new CustomEvent("autosave:saved", { detail: data, bubbles: true }));
    } else if (code === 409) {
      forget(form);
      this.again = false;
      Object.keys(data.values || {}).forEach(function (name) {
        setValue(form, name, data.values[name]);
      });
      show(form, "stale", data.message || message(form, "stale", "!"));
    } else if (code === 400) {
      forget(form);
      showErrors(form, data.errors);
      show(form, "invalid", data.message || message(form, "invalid", "!"));
    } else {
      forget(form);
      show(form, "error", data.message || message(form, "error", "!"));
    }
  };

  function restore(state) {
    var stored = null;
    try {
      stored = JSON.parse(window.localStorage.getItem(storageKey(state.form)) || "null");
    } catch (error) {
      stored = null;
    }
    if (!stored || !stored.length) return;
    var version = inputsNamed(state.form, "version")[0];
    var storedVersion = stored.filter(function (entry) {
      return entry[0] === "version";
    })[0];
    // Replay only onto the sheet it was made on; otherwise the server's 409 explains.
    stored.forEach(function (entry) {
      if (entry[0] !== "csrfmiddlewaretoken" && entry[0] !== "version") {
        setValue(state.form, entry[0], entry[1]);
      }
    });
    if (version && storedVersion) version.value = storedVersion[1];
    state.schedule(0);
  }

  function wire(form) {
    var state = new State(form);
    forms.push(state);
    form.addEventListener("change", function (event) {
      if (!event.target.name || event.target.name === "version") return;
      state.schedule(0);
    });
    form.addEventListener("input", function (event) {
      var target = event.target;
      if (target.tagName === "TEXTAREA" || target.type === "text" || target.type === "number") {
        state.schedule(TYPING_DELAY);
      }
    });
    form.querySelectorAll("button[data-autosave-fill]").forEach(function (button) {
      button.addEventListener("click", function (event) {
        event.preventDefault();
        form.querySelectorAll(button.getAttribute("data-autosave-fill")).forEach(function (input) {
          input.checked = true;
        });
        state.schedule(0);
      });
    });
    restore(state);
  }

  document.querySelectorAll("form[data-autosave]").forEach(wire);

  window.addEventListener("online", function () {
    forms.forEach(function (state) {
      if (state.timer !== null && !state.inflight) {
        window.clearTimeout(state.timer);
        state.send();
      }
    });
  });

  window.addEventListener("beforeunload", function (event) {
    var busy = forms.some(function (state) {
      return state.pending();
    });
    if (busy) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();
