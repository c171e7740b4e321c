-- Blocks rendered from the YAML data by the assembly's inserts (clss/templates/insert-*.md.j2):
--   <div class="clss-facts">   a two-column table   → #facts-table(([label], [value]), …)
--   <div class="clss-figures"> - **140** label      → #key-figures((value: "140", unit: "", label: […]), …)
--   ::: {.annex-quartier}      QR image + name line → #annex-quartier(id: "…", qr: "/qr/….svg", alt: "…", commune: […])[ … ]
-- A level-2 heading (the commune) right before an annex block is moved into it, so that the
-- commune title and its first quartier share one annex page.
package.path = (PANDOC_SCRIPT_FILE:match("(.*[/\\])") or "./") .. "?.lua;" .. package.path
local U = require "typst_util"

local function has(div, class)
  return div.t == "Div" and div.classes:includes(class)
end

local function cell_blocks(cell)
  return cell.contents
end

local function facts(div)
  local rows = {}
  local function add(row)
    local cells = row.cells
    if #cells >= 2 then
      local label = pandoc.utils.stringify(cell_blocks(cells[1]))
      if label ~= "" then
        rows[#rows + 1] = "(" .. U.blocks(cell_blocks(cells[1])) .. ", " .. U.blocks(cell_blocks(cells[2])) .. ")"
      end
    end
  end
  local other = {}
  for _, b in ipairs(div.content) do
    if b.t == "Table" then
      for _, row in ipairs(b.head.rows) do add(row) end
      for _, body in ipairs(b.bodies) do
        for _, row in ipairs(body.body) do add(row) end
      end
    elseif b.t == "Figure" then
      pandoc.walk_block(b, { Table = function(t)
        for _, row in ipairs(t.head.rows) do add(row) end
        for _, body in ipairs(t.bodies) do
          for _, row in ipairs(body.body) do add(row) end
        end
      end })
    else
      other[#other + 1] = b
    end
  end
  local out = { pandoc.RawBlock("typst", "#facts-table((" .. table.concat(rows, ", ") .. (#rows == 1 and "," or "") .. "))") }
  for _, b in ipairs(other) do out[#out + 1] = b end
  return out
end

local function figures(div)
  local items = {}
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
        items[#items + 1] = "(value: " .. U.str(value) .. ", unit: " .. U.str(unit) .. ", label: " .. U.inlines(rest) .. ")"
      end
    end
  end })
  if #items == 0 then
    return div.content
  end
  return { pandoc.RawBlock("typst", "#key-figures((" .. table.concat(items, ", ") .. (#items == 1 and "," or "") .. "))") }
end

local function annex(div, commune)
  local qr, alt
  local body = pandoc.walk_block(pandoc.Div(div.content), {
    Image = function(img)
      qr = img.src
      alt = pandoc.utils.stringify(img.caption)
      return {}
    end,
  }).content
  -- drop the paragraph left empty by the image
  local kept = pandoc.Blocks {}
  for _, b in ipairs(body) do
    if not ((b.t == "Para" or b.t == "Plain") and #b.content == 0) then kept:insert(b) end
  end
  local id = qr and qr:match("([^/]+)%.svg$") or ""
  local args = U.args {
    { "id", U.str(id) },
    { "qr", qr and U.str("/" .. qr:gsub("^/", "")) },
    { "alt", alt and U.str(alt) },
    { "commune", commune and U.inlines(commune) },
  }
  return U.call("annex-quartier", args, kept)
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
