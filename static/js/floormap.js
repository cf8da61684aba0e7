// The floor map: zoom (buttons, wheel, pinch), pan (drag), and tap a booth to see who is there.
// For organizers (data-editable) a tap also picks the booth in the "Move or lock" form, and dragging an
// exhibitor's booth onto another booth moves it there (or swaps with the exhibitor already there).
// Progressive enhancement only; no inline script (the CSP forbids it).
(function () {
  "use strict";

  function parseBox(text) {
    var p = text.split(/\s+/).map(Number);
    return { x: p[0], y: p[1], w: p[2], h: p[3] };
  }

  function setup(root) {
    var svg = root.querySelector("svg.floormap-svg");
    var info = root.querySelector("[data-floormap-info]");
    // A page may load this file more than once (each embedded map brings it): set a map up once.
    if (!svg || root.hasAttribute("data-floormap-ready")) { return; }
    root.setAttribute("data-floormap-ready", "1");
    var home = parseBox(svg.getAttribute("data-view-box"));
    var box = { x: home.x, y: home.y, w: home.w, h: home.h };
    var editable = root.hasAttribute("data-editable");
    var pointers = {};
    var gesture = null;

    // On a touch screen, a booth smaller than a fingertip (44 CSS px) is not a target: a tap picks its
    // zone instead – zoomed in, with the zone's booths listed below the map as large rows. Labels too
    // small to read give way to the zones' codes.
    var lists = root.querySelector("[data-floormap-zones]");
    var touch = !editable && !!lists && window.matchMedia && window.matchMedia("(pointer: coarse)").matches;
    var sides = Array.prototype.map.call(svg.querySelectorAll("g.booth rect"), function (rect) {
      return Math.min(Number(rect.getAttribute("width")), Number(rect.getAttribute("height")));
    }).sort(function (a, b) { return a - b; });
    var typical = sides.length ? sides[Math.floor(sides.length / 2)] : 0;
    var TARGET = 44, READABLE = 9, LABEL = 8;

    function pixelsPerUnit() {
      var r = svg.getBoundingClientRect();
      return r.width && r.height ? Math.min(r.width / box.w, r.height / box.h) : 1;
    }

    function far() { return touch && typical * pixelsPerUnit() < TARGET; }

    if (touch && info && far()) { info.textContent = info.getAttribute("data-label-zones"); }

    function apply() {
      svg.setAttribute("viewBox", [box.x, box.y, box.w, box.h].join(" "));
      svg.classList.toggle("is-far", far());
      svg.classList.toggle("no-labels", touch && LABEL * pixelsPerUnit() < READABLE);
    }

    // The smallest box around some SVG rects (in the map's units).
    function bounds(rects) {
      var x1 = Infinity, y1 = Infinity, x2 = -Infinity, y2 = -Infinity;
      rects.forEach(function (rect) {
        var x = Number(rect.getAttribute("x")), y = Number(rect.getAttribute("y"));
        x1 = Math.min(x1, x); y1 = Math.min(y1, y);
        x2 = Math.max(x2, x + Number(rect.getAttribute("width")));
        y2 = Math.max(y2, y + Number(rect.getAttribute("height")));
      });
      return { x1: x1, y1: y1, x2: x2, y2: y2 };
    }

    function zoneBox(code) {
      var outline = svg.querySelector("g.zone[data-zone='" + code + "'] rect");
      var rects = outline ? [outline] : Array.prototype.slice.call(
        svg.querySelectorAll("g.booth[data-zone='" + code + "'] rect"));
      if (!rects.length) { return null; }
      var b = bounds(rects), pad = 4;
      return { x: b.x1 - pad, y: b.y1 - pad, w: b.x2 - b.x1 + 2 * pad, h: b.y2 - b.y1 + 2 * pad };
    }

    function openZone(code) {
      var target = zoneBox(code);
      if (target) { box = target; apply(); }
      if (!lists) { return; }
      var opened = null;
      lists.querySelectorAll("details[data-zone-list]").forEach(function (details) {
        details.open = details.getAttribute("data-zone-list") === code;
        if (details.open) { opened = details; }
      });
      if (opened) {
        // First in the list, just under the map: the zoomed zone and its booths on one screen.
        lists.prepend(opened);
        if (info) { info.textContent = opened.querySelector("summary").textContent; }
      }
    }

    if (lists) {
      // A zone's list opened from its own row: the map shows that zone too.
      lists.addEventListener("toggle", function (event) {
        var details = event.target;
        if (!details.open || !details.hasAttribute("data-zone-list")) { return; }
        var target = zoneBox(details.getAttribute("data-zone-list"));
        if (target) { box = target; apply(); }
      }, true);
      lists.addEventListener("click", function (event) {
        var free = event.target.closest ? event.target.closest(".floormap-pick-free") : null;
        var booth = free && svg.querySelector("g.booth[data-code='" + free.getAttribute("data-pick") + "']");
        if (booth) { show(booth); }
      });
    }

    function toSvg(clientX, clientY) {
      var r = svg.getBoundingClientRect();
      var scale = Math.max(box.w / r.width, box.h / r.height);
      var offsetX = (r.width * scale - box.w) / 2, offsetY = (r.height * scale - box.h) / 2;
      return { x: box.x + (clientX - r.left) * scale - offsetX, y: box.y + (clientY - r.top) * scale - offsetY,
               scale: scale };
    }

    function zoom(factor, cx, cy) {
      var w = Math.min(Math.max(box.w * factor, home.w / 20), home.w * 1.5);
      var f = w / box.w;
      if (cx === undefined) { cx = box.x + box.w / 2; cy = box.y + box.h / 2; }
      box.x = cx - (cx - box.x) * f; box.y = cy - (cy - box.y) * f;
      box.w *= f; box.h *= f;
      apply();
    }

    root.querySelectorAll("[data-zoom]").forEach(function (button) {
      button.addEventListener("click", function () {
        var how = button.getAttribute("data-zoom");
        if (how === "in") { zoom(0.7); } else if (how === "out") { zoom(1 / 0.7); }
        else { box = { x: home.x, y: home.y, w: home.w, h: home.h }; apply(); }
      });
    });

    svg.addEventListener("wheel", function (event) {
      event.preventDefault();
      var p = toSvg(event.clientX, event.clientY);
      zoom(event.deltaY < 0 ? 0.85 : 1 / 0.85, p.x, p.y);
    }, { passive: false });

    function boothAt(clientX, clientY) {
      var element = document.elementFromPoint(clientX, clientY);
      return element && element.closest ? element.closest("g.booth") : null;
    }

    function show(booth) {
      root.querySelectorAll("g.booth.is-selected").forEach(function (g) { g.classList.remove("is-selected"); });
      booth.classList.add("is-selected");
      if (!info) { return; }
      info.textContent = "";
      var title = document.createElement("strong");
      title.textContent = booth.getAttribute("data-code");
      info.appendChild(title);
      var org = booth.getAttribute("data-organization");
      var line = document.createElement("span");
      line.textContent = " · " + (org || info.getAttribute("data-label-free")) +
        (booth.getAttribute("data-sector-label") ? " · " + booth.getAttribute("data-sector-label") : "") +
        " · " + info.getAttribute("data-label-size") + ": " +
        (booth.getAttribute("data-size-label") || booth.getAttribute("data-size"));
      info.appendChild(line);
      var url = booth.getAttribute("data-url");
      if (url && !editable) {
        var link = document.createElement("a");
        link.href = url;
        link.className = "ms-2";
        link.textContent = info.getAttribute("data-label-open");
        info.appendChild(link);
      }
      if (editable) { pick(booth); }
    }

    function setField(form, name, value) {
      var field = form && form.querySelector("[name='" + name + "']");
      if (field) { field.value = value; }
      return field;
    }

    function pick(booth) {
      var place = document.getElementById("place-form");
      setField(place, "place-booth", booth.getAttribute("data-code"));
      var swap = document.getElementById("swap-form");
      if (booth.getAttribute("data-exhibitor")) {
        setField(place, "place-exhibitor", booth.getAttribute("data-exhibitor"));
        setField(swap, "swap-first", booth.getAttribute("data-exhibitor"));
      }
    }

    function drop(from, to) {
      var moving = from.getAttribute("data-exhibitor");
      if (!moving || from === to) { return false; }
      var there = to.getAttribute("data-exhibitor");
      if (there) {
        var swap = document.getElementById("swap-form");
        setField(swap, "swap-first", moving);
        setField(swap, "swap-second", there);
        if (swap) { swap.submit(); }
      } else {
        var place = document.getElementById("place-form");
        setField(place, "place-booth", to.getAttribute("data-code"));
        setField(place, "place-exhibitor", moving);
        if (place) { place.submit(); }
      }
      return true;
    }

    svg.addEventListener("pointerdown", function (event) {
      svg.setPointerCapture(event.pointerId);
      pointers[event.pointerId] = { x: event.clientX, y: event.clientY };
      var ids = Object.keys(pointers);
      if (ids.length === 1) {
        var start = boothAt(event.clientX, event.clientY);
        gesture = { kind: editable && start && start.getAttribute("data-exhibitor") ? "drag" : "pan",
                    booth: start, x: event.clientX, y: event.clientY, box: { x: box.x, y: box.y }, moved: false };
      } else if (ids.length === 2) {
        var a = pointers[ids[0]], b = pointers[ids[1]];
        gesture = { kind: "pinch", distance: Math.hypot(a.x - b.x, a.y - b.y) };
      }
    });

    svg.addEventListener("pointermove", function (event) {
      if (!pointers[event.pointerId] || !gesture) { return; }
      pointers[event.pointerId] = { x: event.clientX, y: event.clientY };
      if (gesture.kind === "pinch") {
        var ids = Object.keys(pointers);
        if (ids.length < 2) { return; }
        var a = pointers[ids[0]], b = pointers[ids[1]];
        var distance = Math.hypot(a.x - b.x, a.y - b.y);
        var centre = toSvg((a.x + b.x) / 2, (a.y + b.y) / 2);
        if (distance > 0 && gesture.distance > 0) { zoom(gesture.distance / distance, centre.x, centre.y); }
        gesture.distance = distance;
        return;
      }
      var dx = event.clientX - gesture.x, dy = event.clientY - gesture.y;
      if (Math.abs(dx) + Math.abs(dy) > 6) { gesture.moved = true; }
      if (gesture.kind === "pan" && gesture.moved) {
        var scale = toSvg(0, 0).scale;
        svg.classList.add("is-panning");
        box.x = gesture.box.x - dx * scale; box.y = gesture.box.y - dy * scale;
        apply();
      } else if (gesture.kind === "drag" && gesture.moved) {
        root.querySelectorAll("g.is-drop-target").forEach(function (g) { g.classList.remove("is-drop-target"); });
        var over = boothAt(event.clientX, event.clientY);
        if (over && over !== gesture.booth) { over.classList.add("is-drop-target"); }
      }
    });

    function end(event) {
      if (!pointers[event.pointerId]) { return; }
      delete pointers[event.pointerId];
      svg.classList.remove("is-panning");
      root.querySelectorAll("g.is-drop-target").forEach(function (g) { g.classList.remove("is-drop-target"); });
      if (!gesture || gesture.kind === "pinch") { gesture = Object.keys(pointers).length ? gesture : null; return; }
      if (!gesture.moved) {
        var tapped = boothAt(event.clientX, event.clientY);
        if (far()) {
          var element = document.elementFromPoint(event.clientX, event.clientY);
          var zone = tapped || (element && element.closest ? element.closest("g.zone") : null);
          if (zone) {
            openZone(zone.getAttribute("data-zone"));
            // The tap focused a booth it did not pick: no outline that reads as a choice.
            if (tapped && document.activeElement === tapped) { tapped.blur(); }
          }
        } else if (tapped) { show(tapped); }
      } else if (gesture.kind === "drag" && event.type === "pointerup") {
        var target = boothAt(event.clientX, event.clientY);
        if (target) { drop(gesture.booth, target); }
      }
      gesture = null;
    }
    svg.addEventListener("pointerup", end);
    svg.addEventListener("pointercancel", end);

    svg.addEventListener("keydown", function (event) {
      var booth = event.target.closest ? event.target.closest("g.booth") : null;
      if (booth && (event.key === "Enter" || event.key === " ")) {
        event.preventDefault();
        show(booth);
      }
    });

    // A walk (data-focus): open on the booth to walk to and the one the person is at, the hall's
    // proportions kept, a few booths around them for bearings; "Whole hall" goes back.
    function focusBox(selector) {
      var rects = Array.prototype.slice.call(svg.querySelectorAll(selector));
      if (!rects.length) { return null; }
      var b = bounds(rects), x1 = b.x1, y1 = b.y1, x2 = b.x2, y2 = b.y2;
      // Room for the labels (two stacked, ~60 units) around the booths, in the shape the map has on this
      // screen (a phone's is taller than the hall: its minimum height), so the booths come out large.
      var r = svg.getBoundingClientRect();
      var aspect = r.width && r.height ? r.width / r.height : home.w / home.h;
      var pad = Math.max(typical * 2, 60);
      var w = Math.max(x2 - x1 + 2 * pad, typical * 6, home.w / 20);
      var h = Math.max(y2 - y1 + 2 * pad, w / aspect);
      w = Math.max(w, h * aspect);
      if (w > home.w * 0.35) { return null; }  // far apart: the booth to walk to matters more
      // Inside the hall where it can be: no blank margin beyond its walls.
      var x = Math.min(Math.max((x1 + x2 - w) / 2, home.x), Math.max(home.x, home.x + home.w - w));
      var y = Math.min(Math.max((y1 + y2 - h) / 2, home.y), Math.max(home.y, home.y + home.h - h));
      return { x: x, y: y, w: w, h: h };
    }
    if (root.hasAttribute("data-focus")) {
      // Both when they are near each other, else the booth to walk to alone.
      var focus = focusBox("g.booth-target rect, g.booth-here rect") || focusBox("g.booth-target rect");
      if (focus) { box = focus; }
    }

    apply();
    window.addEventListener("resize", apply);
  }

  document.querySelectorAll("[data-floormap]").forEach(setup);
}());
