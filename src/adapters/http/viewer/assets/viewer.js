// The run page's script: draws the state the server streams (Server-Sent Events) as a Cytoscape graph
// laid out with dagre, with the selected step's details beside it and the answer below. Every piece of
// model or user text goes in through textContent or a canvas label: never as markup.
(() => {
  const FONT = '"Noto Sans KR", sans-serif';
  /** Waiting longer than this for the web font draws with what there is, then redraws once it arrives. */
  const FONT_WAIT_MS = 3000;
  const RECONNECT_MS = 5000;

  const byId = (id) => document.getElementById(id);
  const graph = byId("graph");
  let cy;
  /** The latest state from the server. */
  let view;
  let selected;
  let source;
  let structure = "";

  const setText = (element, value) => {
    element.textContent = value ?? "";
  };

  function startGraph() {
    cy = cytoscape({
      container: graph,
      elements: [],
      autoungrabify: true,
      boxSelectionEnabled: false,
      style: [
        {
          selector: "node",
          style: {
            shape: "round-rectangle",
            width: 190,
            height: 58,
            "background-color": "data(colour)",
            color: "data(ink)",
            label: "data(label)",
            "font-family": FONT,
            "font-size": 12,
            "text-wrap": "wrap",
            "text-max-width": 176,
            "text-overflow-wrap": "anywhere",
            "text-valign": "center",
            "text-halign": "center",
          },
        },
        { selector: "node:selected", style: { "border-width": 3, "border-color": "#1f2328" } },
        {
          selector: "edge",
          style: {
            width: 2,
            "curve-style": "bezier",
            "line-color": "#8c96a3",
            "target-arrow-color": "#8c96a3",
            "target-arrow-shape": "triangle",
          },
        },
      ],
    });
    cy.on("tap", "node", (event) => select(Number(event.target.data("step"))));
    cy.on("tap", (event) => {
      if (event.target === cy) select(undefined);
    });
    // For people debugging a page and for the browser tests: the graph as drawn, and the state behind it.
    window.octoViewer = { cy, state: () => view };
  }

  function drawGraph(steps) {
    const wanted = new Map(steps.map((step) => [`s${step.id}`, step]));
    const edges = steps.flatMap((step) =>
      step.dependsOn
        .filter((from) => wanted.has(`s${from}`))
        .map((from) => ({ id: `e${from}-${step.id}`, source: `s${from}`, target: `s${step.id}` })),
    );
    const shape = JSON.stringify([[...wanted.keys()], edges.map((edge) => edge.id)]);
    cy.batch(() => {
      cy.elements().forEach((element) => {
        const keep = element.isNode() ? wanted.has(element.id()) : edges.some((e) => e.id === element.id());
        if (!keep) element.remove();
      });
      for (const [id, step] of wanted) {
        const data = { id, step: step.id, label: step.label, colour: step.colour, ink: step.ink };
        const node = cy.getElementById(id);
        if (node.empty()) cy.add({ group: "nodes", data });
        else node.data(data);
      }
      for (const edge of edges)
        if (cy.getElementById(edge.id).empty()) cy.add({ group: "edges", data: edge });
    });
    if (shape !== structure) {
      structure = shape;
      cy.layout({ name: "dagre", rankDir: "LR", nodeSep: 24, rankSep: 56, padding: 24, fit: true }).run();
    }
  }

  function row(list, label, value) {
    if (value === undefined || value === null || value === "") return;
    const term = document.createElement("dt");
    const detail = document.createElement("dd");
    setText(term, label);
    if (value instanceof Node) detail.append(value);
    else setText(detail, String(value));
    list.append(term, detail);
  }

  const time = (iso) => (iso ? new Date(iso).toLocaleString(view.locale) : undefined);

  function sourcesList(sources) {
    if (sources.length === 0) return undefined;
    const list = document.createElement("ul");
    for (const cited of sources) {
      const item = document.createElement("li");
      const url = cited.url && /^https?:\/\//i.test(cited.url) ? cited.url : undefined;
      if (url) {
        const link = document.createElement("a");
        link.href = url;
        link.rel = "noopener noreferrer";
        link.target = "_blank";
        setText(link, cited.title || url);
        item.append(link);
      } else setText(item, cited.title);
      list.append(item);
    }
    return list;
  }

  function drawPanel() {
    const step = view.steps.find((candidate) => candidate.id === selected);
    const labels = view.labels;
    const details = byId("panel-details");
    details.replaceChildren();
    setText(byId("panel-heading"), step ? `${step.heading} · ${step.agent}` : "");
    const hint = view.missing ? labels.missing : view.steps.length > 0 ? labels.selectStep : labels.waiting;
    setText(byId("panel-hint"), step ? "" : hint);
    if (!step) return;
    row(details, labels.status, step.stateLabel);
    row(details, labels.agent, step.agent);
    row(details, labels.task, step.task);
    row(details, step.resultFinal ? labels.result : labels.resultLive, step.result);
    row(details, labels.error, step.error);
    row(details, labels.confidence, step.confidence);
    row(details, labels.started, time(step.startedAt));
    row(details, labels.finished, time(step.finishedAt));
    row(details, labels.duration, step.duration);
    row(details, labels.attempts, step.attempts > 1 ? step.attempts : undefined);
    row(details, labels.dependsOn, step.dependsOn.length > 0 ? step.dependsOn.join(", ") : undefined);
    row(details, labels.approval, step.approval);
    row(details, labels.sources, sourcesList(step.sources));
  }

  function select(step) {
    selected = step;
    if (cy) {
      cy.nodes().unselect();
      if (step !== undefined) cy.getElementById(`s${step}`).select();
    }
    if (view) drawPanel();
  }

  function drawLegend() {
    const legend = byId("legend");
    legend.replaceChildren(
      ...view.legend.map((entry) => {
        const item = document.createElement("li");
        const swatch = document.createElement("span");
        swatch.className = "swatch";
        swatch.style.backgroundColor = entry.colour;
        item.append(swatch, document.createTextNode(entry.label));
        return item;
      }),
    );
  }

  /** `**bold**`, `` `code` `` and [links](https://…) as elements; everything else as text. */
  function inline(text) {
    const nodes = [];
    const pattern = /\*\*([^*]+)\*\*|`([^`]+)`|\[([^\]]+)\]\((https?:\/\/[^)\s]+)\)/g;
    let at = 0;
    for (const match of text.matchAll(pattern)) {
      if (match.index > at) nodes.push(document.createTextNode(text.slice(at, match.index)));
      let element;
      if (match[1] !== undefined) {
        element = document.createElement("strong");
        setText(element, match[1]);
      } else if (match[2] !== undefined) {
        element = document.createElement("code");
        setText(element, match[2]);
      } else {
        element = document.createElement("a");
        element.href = match[4];
        element.rel = "noopener noreferrer";
        element.target = "_blank";
        setText(element, match[3]);
      }
      nodes.push(element);
      at = match.index + match[0].length;
    }
    if (at < text.length) nodes.push(document.createTextNode(text.slice(at)));
    return nodes;
  }

  /**
   * The answer's Markdown as headings, lists, code blocks and paragraphs, built element by element
   * (never parsed as HTML): what the model wrote can only ever be text.
   */
  function markdown(source) {
    const blocks = [];
    let paragraph = [];
    let list;
    let code;
    const closeParagraph = () => {
      if (paragraph.length === 0) return;
      const element = document.createElement("p");
      element.append(...inline(paragraph.join("\n")));
      blocks.push(element);
      paragraph = [];
    };
    const closeList = () => {
      list = undefined;
    };
    for (const line of source.split("\n")) {
      if (code) {
        if (/^```/.test(line)) code = undefined;
        else code.textContent += `${line}\n`;
        continue;
      }
      if (/^```/.test(line)) {
        closeParagraph();
        closeList();
        const pre = document.createElement("pre");
        code = document.createElement("code");
        pre.append(code);
        blocks.push(pre);
        continue;
      }
      const heading = /^(#{1,6})\s+(.*)$/.exec(line);
      const item = /^\s*(?:[-*+]|(\d+)[.)])\s+(.*)$/.exec(line);
      if (heading) {
        closeParagraph();
        closeList();
        const element = document.createElement(`h${Math.min(heading[1].length + 2, 6)}`);
        element.append(...inline(heading[2]));
        blocks.push(element);
      } else if (item) {
        closeParagraph();
        const kind = item[1] === undefined ? "ul" : "ol";
        if (!list || list.tagName.toLowerCase() !== kind) {
          list = document.createElement(kind);
          blocks.push(list);
        }
        const entry = document.createElement("li");
        entry.append(...inline(item[2]));
        list.append(entry);
      } else if (line.trim() === "") {
        closeParagraph();
        closeList();
      } else {
        closeList();
        paragraph.push(line);
      }
    }
    closeParagraph();
    return blocks;
  }

  function drawAnswer() {
    const answer = byId("answer");
    answer.hidden = !view.done && !view.error;
    setText(byId("answer-heading"), view.done ? view.labels.answer : view.labels.error);
    setText(byId("request"), view.request ? `${view.labels.request}: ${view.request}` : "");
    setText(byId("summary"), view.summary);
    const text = byId("answer-text");
    if (view.done) text.replaceChildren(...markdown(view.answer ?? ""));
    else setText(text, view.error);
  }

  function draw(next) {
    view = next;
    document.documentElement.lang = view.locale;
    document.title = view.title;
    setText(byId("title"), view.title);
    setText(byId("headline"), view.headline);
    drawGraph(view.steps);
    drawLegend();
    drawPanel();
    drawAnswer();
  }

  function connection(text, live) {
    const status = byId("connection");
    setText(status, text);
    status.className = live ? "live" : "";
  }

  function connect() {
    source = new EventSource(document.body.dataset.events);
    source.addEventListener("open", () => {
      if (view && !view.done) connection(view.labels.live, true);
    });
    source.addEventListener("state", (event) => {
      draw(JSON.parse(event.data));
      if (view.done || view.missing) {
        // Nothing more will come: the stream has ended, and reconnecting would only replay it.
        source.close();
        connection(view.done ? view.labels.done : "", false);
      } else connection(view.labels.live, true);
    });
    source.addEventListener("error", () => {
      if (view?.done || view?.missing) return;
      connection(view ? view.labels.reconnecting : "…", false);
      // The browser retries by itself unless the server refused the stream (an expired link, say).
      if (source.readyState === EventSource.CLOSED) setTimeout(connect, RECONNECT_MS);
    });
  }

  async function start() {
    startGraph();
    connect();
    // Labels are drawn on a canvas, which does not wait for web fonts: redraw them once the font is in.
    const font = document.fonts.load(`12px ${FONT}`, "한국어 Korean");
    const late = new Promise((resolve) => setTimeout(resolve, FONT_WAIT_MS));
    await Promise.race([font, late]);
    await font.catch(() => undefined);
    cy.style().update();
  }

  start();
})();
