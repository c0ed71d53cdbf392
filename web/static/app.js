// Chat page and reader view. Everything the user or a document supplies goes into the page through
// textContent, never innerHTML. The conversation lives in sessionStorage only, so it is gone when the
// tab closes (shared computers); the server stores nothing.
"use strict";

(function () {
  var STORAGE_KEY = "grounded-assistant.conversation.v1";
  var UNREACHABLE = "The server cannot be reached. Check your connection and try again; your question is still in the box.";
  var UNREADABLE = "The server sent a reply this page cannot read. Please try again.";

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function squash(text) {
    return String(text).replace(/\s+/g, " ").trim();
  }

  // A line break before a list item ("(ii) ", "3. ", "b) ", "- ", "\u2022 ") is kept; other runs of
  // whitespace, such as a paragraph broken across lines, read as one space.
  var ITEM_BREAK = /\n\s*(?=(?:[-*\u2022\u2013]|\(?(?:\d{1,3}|[ivxlc]{1,6}|[a-z])[.)])\s)/i;

  function quoteLines(text) {
    return String(text).split(ITEM_BREAK).map(squash).filter(function (line) { return line; });
  }

  // ------------------------------------------------------------------ conversation storage

  var memory = [];

  function loadTurns() {
    try {
      var raw = window.sessionStorage.getItem(STORAGE_KEY);
      var turns = raw ? JSON.parse(raw) : [];
      return Array.isArray(turns) ? turns : [];
    } catch (e) {
      return memory;
    }
  }

  function saveTurns(turns) {
    memory = turns;
    try {
      window.sessionStorage.setItem(STORAGE_KEY, JSON.stringify(turns));
    } catch (e) {
      // Storage full or disabled: the conversation lasts as long as the page.
    }
  }

  function clearTurns() {
    memory = [];
    try {
      window.sessionStorage.removeItem(STORAGE_KEY);
    } catch (e) {
      // Nothing stored.
    }
  }

  // ------------------------------------------------------------------ references

  function reference(c) {
    var parts = [];
    if (c.author) parts.push(c.author);
    parts.push("\u201c" + c.title + "\u201d");
    if (c.publisher) parts.push(c.publisher);
    if (c.locator) parts.push(c.locator);
    return parts.join(", ");
  }

  function documentLink(form, docId, params, fragment) {
    var base = form.getAttribute("data-document-url").replace("DOC_ID", encodeURIComponent(docId));
    var query = Object.keys(params)
      .map(function (k) { return encodeURIComponent(k) + "=" + encodeURIComponent(params[k]); })
      .join("&");
    return base + (query ? "?" + query : "") + fragment;
  }

  function citationLink(form, c) {
    // A quote taken from the document's details (source "metadata") is not in the text: open the top.
    if (c.source === "metadata") return documentLink(form, c.document_id, {}, "");
    return documentLink(form, c.document_id, { passage: c.passage_id, start: c.start, end: c.end }, "#quoted");
  }

  function copyText(c) {
    return "\u201c" + quoteLines(c.quote).join("\n") + "\u201d\n\u2014 " + reference(c) + ".";
  }

  // ------------------------------------------------------------------ rendering

  function renderCitation(form, c, onCopy) {
    var figure = el("figure", "quote");
    var quote = el("blockquote");
    var para = el("p");
    quoteLines(c.quote).forEach(function (line, i) {
      if (i) para.appendChild(document.createElement("br"));
      para.appendChild(document.createTextNode(line));
    });
    quote.appendChild(para);
    figure.appendChild(quote);
    var caption = el("figcaption", "citation");
    caption.appendChild(document.createTextNode("\u2014 "));
    var link = el("a", "citation-link", reference(c));
    link.href = citationLink(form, c);
    caption.appendChild(link);
    figure.appendChild(caption);
    var actions = el("div", "answer-actions");
    var copy = el("button", "button-secondary copy-button", "Copy with citation");
    copy.type = "button";
    copy.addEventListener("click", function () { onCopy(copyText(c)); });
    actions.appendChild(copy);
    figure.appendChild(actions);
    return figure;
  }

  // The passage, its sentence nearest the question in meaning marked (context, never an answer).
  function relatedText(p) {
    var para = el("p", "related-text");
    var c = p.closest;
    if (!c || c.start < p.start || c.end > p.end || c.start >= c.end) {
      para.textContent = squash(p.text);
      return para;
    }
    var from = c.start - p.start, to = c.end - p.start;
    para.appendChild(document.createTextNode(squash(p.text.slice(0, from)) + " "));
    var mark = el("mark", "closest", squash(p.text.slice(from, to)));
    mark.title = "Closest sentence in meaning (not an answer)";
    para.appendChild(mark);
    para.appendChild(document.createTextNode(" " + squash(p.text.slice(to))));
    return para;
  }

  function renderRelated(form, passages) {
    var details = el("details", "related");
    var marked = passages.some(function (p) { return p.closest; });
    details.appendChild(el("summary", null, marked
      ? "Related passages, nearest in meaning first (not an answer; the closest sentence is marked)"
      : "Related passages (not an answer)"));
    var list = el("ul");
    passages.forEach(function (p) {
      var item = el("li");
      var link = el("a", null, p.locator);
      link.href = documentLink(form, p.document_id, { passage: p.passage_id }, "#cited");
      item.appendChild(link);
      item.appendChild(relatedText(p));
      list.appendChild(item);
    });
    details.appendChild(list);
    return details;
  }

  function renderTurn(form, turn, onCopy) {
    var a = turn.answer;
    var article = el("article", "turn");
    var asked = el("div", "asked");
    asked.appendChild(el("p", "speaker", "You asked"));
    asked.appendChild(el("p", "question-text", turn.question));
    article.appendChild(asked);

    var reply = el("div", "reply status-" + a.status);
    reply.appendChild(el("p", "speaker", "From the documents"));
    if (a.status === "answered") {
      a.citations.forEach(function (c) { reply.appendChild(renderCitation(form, c, onCopy)); });
    } else if (a.status === "open_question") {
      reply.appendChild(el("p", "verdict",
        "The document raises this question but does not answer it. It asks it here:"));
      a.citations.forEach(function (c) { reply.appendChild(renderCitation(form, c, onCopy)); });
    } else if (a.evidence && a.evidence.asks_nothing) {
      reply.appendChild(el("p", "verdict", a.message));
    } else {
      reply.appendChild(el("p", "verdict", "The documents do not cover this question."));
      if (a.passages && a.passages.length) reply.appendChild(renderRelated(form, a.passages));
    }
    if (a.resolved_question && a.resolved_question !== a.question) {
      reply.appendChild(el("p", "searched-for", "Searched for: " + a.resolved_question));
    }
    article.appendChild(reply);
    return article;
  }

  // ------------------------------------------------------------------ export

  function toMarkdown(turns) {
    var title = document.title;
    var lines = ["# " + title, "", "Exported " + new Date().toISOString().slice(0, 16).replace("T", " ") + " UTC.", ""];
    var notice = document.querySelector(".notice p");
    if (notice) lines.push("> " + squash(notice.textContent), "");
    turns.forEach(function (turn, i) {
      var a = turn.answer;
      lines.push("## " + (i + 1) + ". " + squash(turn.question), "");
      if (a.resolved_question && a.resolved_question !== a.question) {
        lines.push("_Searched for: " + squash(a.resolved_question) + "_", "");
      }
      if (a.status === "not_found") lines.push("The documents do not cover this question.", "");
      if (a.status === "open_question") lines.push("The document raises this question but does not answer it.", "");
      a.citations.forEach(function (c) {
        lines.push("> " + quoteLines(c.quote).join("  \n> "), "", "\u2014 " + reference(c) + " [" + c.passage_id + "]", "");
      });
    });
    return lines.join("\n");
  }

  function download(filename, text) {
    var url = URL.createObjectURL(new Blob([text], { type: "text/markdown;charset=utf-8" }));
    var link = el("a");
    link.href = url;
    link.download = filename;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
  }

  // ------------------------------------------------------------------ clipboard

  function copyToClipboard(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    // Plain http on a network address has no Clipboard API: copy through a selected textarea.
    return new Promise(function (resolve, reject) {
      var area = el("textarea", "visually-hidden");
      area.value = text;
      area.setAttribute("readonly", "");
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      area.remove();
      if (ok) resolve(); else reject(new Error("copy failed"));
    });
  }

  // ------------------------------------------------------------------ chat page

  function initChat(form) {
    var input = document.getElementById("question");
    var button = document.getElementById("ask-button");
    var thread = document.getElementById("thread");
    var welcome = document.getElementById("welcome");
    var status = document.getElementById("status");
    var error = document.getElementById("error");
    var exportButton = document.getElementById("export-conversation");
    var maxHistory = parseInt(form.getAttribute("data-max-history"), 10) || 20;
    var busy = false;

    function say(message) { status.textContent = message; }
    function fail(message) { error.textContent = message; }

    function onCopy(text) {
      copyToClipboard(text).then(
        function () { say("Copied the quote with its reference."); },
        function () { fail("Could not copy. Select the quote and its reference and copy them by hand."); }
      );
    }

    function refresh(turns) {
      welcome.hidden = turns.length > 0;
      exportButton.disabled = turns.length === 0;
    }

    function showAll() {
      var turns = loadTurns();
      thread.textContent = "";
      turns.forEach(function (turn) { thread.appendChild(renderTurn(form, turn, onCopy)); });
      refresh(turns);
    }

    function setBusy(on) {
      busy = on;
      input.disabled = on;
      button.disabled = on;
      form.setAttribute("aria-busy", on ? "true" : "false");
      form.classList.toggle("is-busy", on);
      button.textContent = on ? "Searching\u2026" : "Ask";
      say(on ? "Searching the documents\u2026" : "");
    }

    function history(turns) {
      return turns.slice(-maxHistory).map(function (t) {
        return { question: t.question, answer: t.answer.answer, resolved_question: t.answer.resolved_question };
      });
    }

    function errorMessage(response) {
      return response.json().then(
        function (body) { return (body && body.error && body.error.message) || "The server could not answer."; },
        function () { return "The server could not answer (error " + response.status + ")."; }
      );
    }

    function ask(question) {
      if (busy) return;
      if (!/\S/.test(question)) {
        fail("Type a question first.");
        input.focus();
        return;
      }
      fail("");
      var turns = loadTurns();
      setBusy(true);
      fetch(form.getAttribute("data-ask-url"), {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify({ question: question, history: history(turns) }),
        credentials: "same-origin",
        cache: "no-store"
      })
        .catch(function () { throw new Error(UNREACHABLE); })
        .then(function (response) {
          if (!response.ok) return errorMessage(response).then(function (m) { throw new Error(m); });
          return response.json().catch(function () { throw new Error(UNREADABLE); });
        })
        .then(function (answer) {
          var turn = { question: question, answer: answer };
          turns.push(turn);
          saveTurns(turns);
          input.value = "";
          var node = renderTurn(form, turn, onCopy);
          thread.appendChild(node);
          refresh(turns);
          setBusy(false);
          node.scrollIntoView({ block: "start" });
        })
        .catch(function (e) {
          setBusy(false);
          fail(e.message);
        })
        .then(function () { input.focus(); });
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      ask(input.value);
    });

    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        ask(input.value);
      }
    });

    Array.prototype.forEach.call(document.querySelectorAll(".starter"), function (starter) {
      starter.addEventListener("click", function () {
        input.value = starter.textContent;
        ask(starter.textContent);
      });
    });

    document.getElementById("new-conversation").addEventListener("click", function () {
      clearTurns();
      showAll();
      fail("");
      say("Started a new conversation.");
      input.value = "";
      input.focus();
    });

    exportButton.addEventListener("click", function () {
      var turns = loadTurns();
      if (!turns.length) return;
      download("conversation-" + new Date().toISOString().slice(0, 10) + ".md", toMarkdown(turns));
      say("Downloaded the conversation as Markdown.");
    });

    showAll();
    setBusy(false);
    if (thread.lastElementChild) thread.lastElementChild.scrollIntoView({ block: "start" });
  }

  // ------------------------------------------------------------------ reader view

  function initReader() {
    var target = window.location.hash === "#quoted" ? document.getElementById("quoted") : null;
    if (target) target.focus({ preventScroll: false });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("ask-form");
    if (form) initChat(form);
    if (document.querySelector(".page-reader")) initReader();
  });
})();
