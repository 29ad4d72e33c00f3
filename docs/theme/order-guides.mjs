// A typedoc plugin: guides are ordered by `order` in their front matter (lowest first; a guide
// without one comes after, in file-name order), so that Getting started opens the menu and a new
// guide needs no change here. typedoc itself keeps documents in file-name order.
import { RendererEvent } from 'typedoc'

const orderOf = (reflection) => {
  const order = reflection.frontmatter?.order
  return typeof order === 'number' ? order : Number.POSITIVE_INFINITY
}

/** Sorts the documents of `list` in place by their order, leaving every other entry where it is. */
function sortDocuments(list) {
  if (!Array.isArray(list)) return
  const slots = []
  const documents = []
  list.forEach((reflection, index) => {
    if (reflection.isDocument?.()) {
      slots.push(index)
      documents.push(reflection)
    }
  })
  documents.sort((a, b) => orderOf(a) - orderOf(b))
  slots.forEach((slot, index) => {
    list[slot] = documents[index]
  })
}

export function load(app) {
  app.renderer.on(RendererEvent.BEGIN, (event) => {
    const { project } = event
    sortDocuments(project.documents)
    sortDocuments(project.childrenIncludingDocuments)
    for (const group of project.groups ?? []) sortDocuments(group.children)
  })
}
