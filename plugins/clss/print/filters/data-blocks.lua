-- Blocks rendered from the YAML data by the assembly's inserts (clss/templates/insert-*.md.j2):
--   <div class="clss-facts">   a two-column table   → #facts-table(([label], [value]), …)
--   <div class="clss-figures"> - **140** label      → #key-figures((value: "140", unit: "", label: […]), …)
--   ::: {.annex-quartier}      QR image + name line (+ ::: {.annex-text}, the quartier's text)
--                              → #annex-quartier(id: "…", qr: "/qr/….svg", alt: "…", commune: "…", story: […])[ … ]
-- A level-2 heading (the commune) right before an annex block is moved into it, so that the
-- commune title and its first quartier share one annex page.
package.path = (PANDOC_SCRIPT_FILE:match("(.*[/\\])") or "./") .. "?.lua;" .. package.path
local U = require "typst_util"

local function has(div, class)
  return div.t == "Div" and div.classes:includes(class)
end

local function add_rows(b, tbl)
  local function add(row)
    local cells = row.cells
    if #cells >= 2 and pandoc.utils.stringify(cells[1].contents) ~= "" then
      b:raw("(["):blocks(cells[1].contents):raw("], ["):blocks(cells[2].contents):raw("]),")
    end
  end
  for _, row in ipairs(tbl.head.rows) do add(row) end
  for _, body in ipairs(tbl.bodies) do
    for _, row in ipairs(body.body) do add(row) end
  end
end

local function facts(div)
  local b = U.builder():raw("#facts-table((")
  local other = pandoc.Blocks {}
  for _, block in ipairs(div.content) do
    if block.t == "Table" then
      add_rows(b, block)
    elseif block.t == "Figure" then
      pandoc.walk_block(block, { Table = function(t) add_rows(b, t) end })
    else
      other:insert(block)
    end
  end
  return b:raw("))"):blocks(other):result()
end

local function figures(div)
  local b = U.builder():raw("#key-figures((")
  local n = 0
  pandoc.walk_block(div, { BulletList = function(list)
    for _, item in ipairs(list.content) do
      local para = item[1]
      if para and (para.t == "Para" or para.t == "Plain") and para.content[1] and para.content[1].t == "Strong" then
        local value = pandoc.utils.stringify(para.content[1])
        local rest = pandoc.Inlines { table.unpack(para.content, 2) }
        while rest[1] and (rest[1].t == "Space" or rest[1].t == "SoftBreak") do rest:remove(1) end
        local unit = ""
        if rest[1] and rest[1].t == "Str" and rest[1].text:match("^%%") then
          unit = "%"
          local tail = rest[1].text:sub(2)
          if tail == "" then rest:remove(1) else rest[1] = pandoc.Str(tail) end
          while rest[1] and (rest[1].t == "Space" or rest[1].t == "SoftBreak") do rest:remove(1) end
        end
        b:raw("(value: " .. U.str(value) .. ", unit: " .. U.str(unit) .. ", label: ["):inlines(rest):raw("]),")
        n = n + 1
      end
    end
  end })
  if n == 0 then
    return div.content
  end
  return b:raw("))"):result()
end

local function annex(div, commune)
  local qr, alt
  local text = nil
  local head = pandoc.Blocks {}
  for _, b in ipairs(div.content) do
    if b.t == "Div" and b.classes:includes("annex-text") then
      text = b.content
    else
      head:insert(b)
    end
  end
  head = pandoc.walk_block(pandoc.Div(head), {
    Image = function(img)
      qr = img.src
      alt = pandoc.utils.stringify(img.caption)
      return {}
    end,
  }).content
  -- drop the paragraph left empty by the image
  local kept = pandoc.Blocks {}
  for _, b in ipairs(head) do
    if not ((b.t == "Para" or b.t == "Plain") and #b.content == 0) then kept:insert(b) end
  end
  local id = qr and qr:match("([^/]+)%.svg$") or ""
  local args = U.args {
    { "id", U.str(id) },
    { "qr", qr and U.str("/" .. qr:gsub("^/", "")) },
    { "alt", alt and U.str(alt) },
    { "commune", commune and U.str(pandoc.utils.stringify(commune)) },
  }
  local b = U.builder():raw("#annex-quartier(" .. args)
  if text then
    b:raw(", story: ["):blocks(text):raw("]")
  end
  return b:raw(")["):blocks(kept):raw("]"):result()
end

-- Top level: a level-2 heading (the commune) right before an annex block goes into that block,
-- so that the commune title and its first quartier share one annex page. The document is only
-- rebuilt when there is something to move.
local function Pandoc(doc)
  local blocks = doc.blocks
  local moved = false
  local out = pandoc.Blocks {}
  local i = 1
  while i <= #blocks do
    local b = blocks[i]
    if b.t == "Header" and b.level == 2 and blocks[i + 1] and has(blocks[i + 1], "annex-quartier") then
      local div = blocks[i + 1]
      div.content:insert(1, b)
      div.attributes["commune-heading"] = "1"
      out:insert(div)
      moved = true
      i = i + 2
    else
      out:insert(b)
      i = i + 1
    end
  end
  if moved then
    doc.blocks = out
    return doc
  end
  return nil
end

local function Div(div)
  if div.classes:includes("annex-quartier") then
    local commune = nil
    if div.attributes["commune-heading"] and div.content[1] and div.content[1].t == "Header" then
      commune = div.content[1].content
    end
    local call = annex(div, commune)
    return call
  elseif div.classes:includes("clss-facts") then
    return facts(div)
  elseif div.classes:includes("clss-figures") then
    return figures(div)
  end
  return nil
end

return { { Pandoc = Pandoc }, { Div = Div } }
